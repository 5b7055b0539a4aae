import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../../src/model/outcome.js';
import { CrossrouteError } from '../../../src/sw/errors.js';
import { REDACT_PARAMS, resolveLogOptions } from '../../../src/sw/log/log-options.js';
import { redactOutcome, redactUrl } from '../../../src/sw/log/redact-outcome.js';

const defaults = resolveLogOptions({}).redaction;
const originPath = resolveLogOptions({ urls: 'origin-path' }).redaction;

describe('URL redaction (each rule)', () => {
  it('always drops the fragment, also when nothing else is redacted', () => {
    expect(redactUrl('https://a.test/p#frag', defaults)).toBe('https://a.test/p');
    expect(redactUrl('https://a.test/p?x=1#access_token=abc', resolveLogOptions({ redactParams: [] }).redaction)).toBe('https://a.test/p?x=1');
  });

  it('replaces the values of every default parameter, matching names case-insensitively and as a server decodes them', () => {
    for (const name of REDACT_PARAMS) expect(redactUrl(`https://a.test/p?${name}=s3cret`, defaults)).toBe(`https://a.test/p?${name}=redacted`);
    expect(redactUrl('https://a.test/p?Token=a&ACCESS_TOKEN=b&%74oken=c&api%5Fkey=d', defaults)).toBe('https://a.test/p?Token=redacted&ACCESS_TOKEN=redacted&%74oken=redacted&api%5Fkey=redacted');
  });

  it('keeps the other parameters byte for byte, in order, and a bare name or a malformed escape as it is', () => {
    expect(redactUrl('https://a.test/p?q=a+b%20c&token=x&empty=&flag&bad=%E0%A4%A&sig', defaults)).toBe('https://a.test/p?q=a+b%20c&token=redacted&empty=&flag&bad=%E0%A4%A&sig=redacted');
  });

  it('takes a list of its own instead of the default', () => {
    const own = resolveLogOptions({ redactParams: ['Session'] }).redaction;
    expect(redactUrl('https://a.test/p?session=1&token=2', own)).toBe('https://a.test/p?session=redacted&token=2');
  });

  it('origin-path keeps only the origin and the path', () => {
    expect(redactUrl('https://a.test:8443/v1/e?x=1&token=2#f', originPath)).toBe('https://a.test:8443/v1/e');
  });

  it('drops user info, which the URL itself may carry as a password', () => {
    expect(redactUrl('https://user:pw@a.test/p?x=1', defaults)).toBe('https://a.test/p?x=1');
  });

  it('keeps nothing after the path of a URL that does not parse', () => {
    expect(redactUrl('https://[bad/p?token=1#f', defaults)).toBe('https://[bad/p');
  });

  it('redacts the URL, and every URL inside detail and changes, leaving the rest of the text', () => {
    const outcome = {
      url: 'https://a.test/x?token=t1#frag',
      detail: 'through /__proxy: proxy 200, upstream 200 at https://b.test/final?code=c1&page=2 after 1 redirect',
      changes: ['redirect 1 (302 from https://b.test) to "https://c.test/?sig=s1#x"', 'no URL here'],
    } as Outcome;
    expect(redactOutcome(outcome, defaults)).toEqual({
      url: 'https://a.test/x?token=redacted',
      detail: 'through /__proxy: proxy 200, upstream 200 at https://b.test/final?code=redacted&page=2 after 1 redirect',
      changes: ['redirect 1 (302 from https://b.test/) to "https://c.test/?sig=redacted"', 'no URL here'],
    });
    expect(redactOutcome(outcome, originPath).detail).toBe('through /__proxy: proxy 200, upstream 200 at https://b.test/final after 1 redirect');
  });

  it('refuses bad options, naming the field and the fix', () => {
    expect(() => resolveLogOptions({ urls: 'path' as 'origin-path' })).toThrow(CrossrouteError);
    expect(() => resolveLogOptions({ urls: 'path' as 'origin-path' })).toThrow(/new OutcomeLog\(options\)\.urls must be one of "redact-params", "origin-path"/);
    expect(() => resolveLogOptions({ redactParams: 'token' as unknown as string[] })).toThrow(/redactParams must be an array of query parameter names, such as \["token", "code"\]/);
    expect(() => resolveLogOptions({ redactParams: ['token', ''] })).toThrow(/redactParams must be an array/);
  });
});
