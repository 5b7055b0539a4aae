import { describe, expect, it } from 'vitest';
import { FetchSpecError, isSameOrigin, originOf } from '../../../src/fetch-spec/index.js';

describe('originOf', () => {
  it.each([
    ['https://huli.tw/api?x=1#y', 'https://huli.tw'],
    ['HTTPS://HuLi.TW:443/', 'https://huli.tw'],
    ['http://x:80/', 'http://x'],
    ['http://x:8080/a', 'http://x:8080'],
    ['https://x:80/', 'https://x:80'],
    ['http://[::1]:3000/', 'http://[::1]:3000'],
    ['https://user:pass@example.com/', 'https://example.com'],
    ['wss://chat.example:443/socket', 'wss://chat.example'],
    ['blob:https://huli.tw/0b7f-uuid', 'https://huli.tw'],
  ])('%s → %s', (url, origin) => {
    expect(originOf(url)).toBe(origin);
  });

  it.each(['data:text/plain,hi', 'file:///etc/hosts', 'about:blank', 'blob:null/uuid', 'mailto:a@b.c'])(
    'opaque origin for %s is "null"',
    (url) => {
      expect(originOf(url)).toBe('null');
    },
  );

  it('accepts a serialized origin, including "null", so it is idempotent', () => {
    expect(originOf('https://huli.tw')).toBe('https://huli.tw');
    expect(originOf('null')).toBe('null');
  });

  it('rejects relative or garbage input with a FetchSpecError naming the field', () => {
    expect(() => originOf('/api')).toThrow(FetchSpecError);
    expect(() => originOf('/api')).toThrow(/url "\/api" is not an absolute URL/);
    expect(() => originOf('not a url')).toThrow(expect.objectContaining({ code: 'invalid-url' }));
  });
});

describe('isSameOrigin (seed 003)', () => {
  it('(1) https://huli.tw and https://huli.tw/api are same origin', () => {
    expect(isSameOrigin('https://huli.tw', 'https://huli.tw/api')).toBe(true);
  });
  it('(2) https://huli.tw vs http://huli.tw: scheme differs', () => {
    expect(isSameOrigin('https://huli.tw', 'http://huli.tw')).toBe(false);
  });
  it('(3) http://huli.tw vs http://huli.tw:3000: port differs', () => {
    expect(isSameOrigin('http://huli.tw', 'http://huli.tw:3000')).toBe(false);
  });
  it('(4) https://api.huli.tw vs https://data.huli.tw: host differs', () => {
    expect(isSameOrigin('https://api.huli.tw', 'https://data.huli.tw')).toBe(false);
  });
  it('(5) https://huli.tw vs https://api.huli.tw: subdomain is another origin', () => {
    expect(isSameOrigin('https://huli.tw', 'https://api.huli.tw')).toBe(false);
  });
});

describe('isSameOrigin', () => {
  it('treats default ports as absent', () => {
    expect(isSameOrigin('http://x:80', 'http://x')).toBe(true);
    expect(isSameOrigin('https://x:443/a', 'https://x/b')).toBe(true);
    expect(isSameOrigin('http://x:443', 'https://x')).toBe(false);
  });
  it('compares hosts case-insensitively', () => {
    expect(isSameOrigin('https://HULI.tw', 'https://huli.TW/')).toBe(true);
  });
  it('never matches opaque origins, not even with themselves', () => {
    expect(isSameOrigin('null', 'null')).toBe(false);
    expect(isSameOrigin('data:text/plain,a', 'data:text/plain,a')).toBe(false);
    expect(isSameOrigin('https://huli.tw', 'null')).toBe(false);
  });
  it('a blob: URL is same-origin with its creator', () => {
    expect(isSameOrigin('blob:https://huli.tw/uuid', 'https://huli.tw')).toBe(true);
  });
});
