import { describe, expect, it } from 'vitest';
import { auditCorsUnsafeHeaders, corsUnsafeRequestHeaderNames, toHeaderList } from '../../../src/fetch-spec/index.js';

const a128 = 'a'.repeat(128);

describe('corsUnsafeRequestHeaderNames', () => {
  it('is empty for safelisted headers', () => {
    expect(corsUnsafeRequestHeaderNames({ Accept: '*/*', 'Content-Type': 'text/plain', Range: 'bytes=0-' })).toEqual([]);
  });

  it('returns a sorted, lower-cased set', () => {
    expect(
      corsUnsafeRequestHeaderNames([
        ['X-Zeta', '1'],
        ['Authorization', 'Bearer t'],
        ['x-zeta', '2'],
        ['Content-Type', 'application/json'],
        ['Accept', 'text/html'],
      ]),
    ).toEqual(['authorization', 'content-type', 'x-zeta']);
  });

  it('safelisted values totalling exactly 1024 bytes stay safe', () => {
    const headers = Array.from({ length: 8 }, (): [string, string] => ['accept', a128]);
    expect(corsUnsafeRequestHeaderNames(headers)).toEqual([]);
  });

  it('1025 bytes makes every safelisted header unsafe', () => {
    const headers: Array<[string, string]> = [
      ...Array.from({ length: 8 }, (): [string, string] => ['accept', a128]),
      ['accept-language', 'e'],
    ];
    expect(corsUnsafeRequestHeaderNames(headers)).toEqual(['accept', 'accept-language']);
  });

  it('unsafe headers do not count toward the 1024 total', () => {
    const headers: Array<[string, string]> = [
      ...Array.from({ length: 8 }, (): [string, string] => ['accept', a128]),
      ['accept', 'a'.repeat(129)], // unsafe by itself: not counted
      ['x-big', 'x'.repeat(2000)],
    ];
    expect(corsUnsafeRequestHeaderNames(headers)).toEqual(['accept', 'x-big']);
    const reasons = auditCorsUnsafeHeaders(toHeaderList(headers)).reasons.map((reason) => reason.code);
    expect(reasons).toEqual(['value-too-long', 'header']);
  });

  it('explains the total with bytes and names', () => {
    const headers: Array<[string, string]> = [
      ...Array.from({ length: 8 }, (): [string, string] => ['accept', a128]),
      ['content-language', 'en'],
    ];
    const { reasons } = auditCorsUnsafeHeaders(toHeaderList(headers));
    expect(reasons).toEqual([
      {
        code: 'safelisted-total-over-1024',
        bytes: 1026,
        names: ['accept', 'content-language'],
        message: 'safelisted header values total 1026 bytes (over 1024), so accept, content-language all count as CORS-unsafe',
      },
    ]);
  });

  it('a single header list value of 128 bytes per safelisted name can never reach 1024 without duplicates', () => {
    const headers = {
      accept: a128,
      'accept-language': a128,
      'content-language': a128,
      'content-type': `text/plain;${'x'.repeat(117)}`,
      range: `bytes=${'1'.repeat(121)}-`,
    };
    expect(corsUnsafeRequestHeaderNames(headers)).toEqual([]);
  });
});
