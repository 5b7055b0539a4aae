import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainRequest, isSameOrigin, originOf, toSimpleRequest } from '../../../src/fetch-spec/index.js';

// Any valid header value: bytes 0x01-0xFF except CR/LF, never starting or ending with whitespace.
const anyByte = fc
  .integer({ min: 0x01, max: 0xff })
  .filter((byte) => byte !== 0x0a && byte !== 0x0d)
  .map((byte) => String.fromCharCode(byte));
const safeChar = fc.constantFrom(...'abcXYZ019 *,-.;=/+'.split(''));
const headerValue = fc
  .oneof(
    fc.string({ unit: anyByte, maxLength: 140 }),
    fc.string({ unit: safeChar, minLength: 100, maxLength: 130 }),
    fc.constantFrom('text/plain', 'application/json', 'multipart/form-data; boundary=x', 'bytes=0-', 'bytes=-5', 'en-US'),
  )
  .map((value) => value.replace(/^[\t ]+|[\t ]+$/g, ''));
const headerName = fc.constantFrom(
  'Accept',
  'accept-language',
  'Content-Language',
  'content-type',
  'Range',
  'Authorization',
  'X-Custom',
  'Cookie',
  'Sec-Fetch-Mode',
  'X-HTTP-Method-Override',
);
// Many long safelisted duplicates, so the 1024-byte total is actually exceeded in some runs.
const languageChar = fc.constantFrom(...'abcXYZ019*,-.;='.split(''));
const bulk = fc.array(
  fc.tuple(fc.constantFrom('accept', 'Accept-Language'), fc.string({ unit: languageChar, minLength: 90, maxLength: 128 })),
  { maxLength: 12, size: 'max' },
);
const headers = fc
  .tuple(fc.array(fc.tuple(headerName, headerValue), { maxLength: 14 }), bulk)
  .chain(([mixed, many]) => {
    const all = [...mixed, ...many];
    return fc.shuffledSubarray(all, { minLength: all.length });
  });
const simpleMethod = fc.constantFrom('GET', 'get', 'HEAD', 'head', 'POST', 'post', 'Post');

describe('properties', () => {
  it('toSimpleRequest output always explains as simple, and is a fixed point', () => {
    fc.assert(
      fc.property(simpleMethod, headers, fc.constantFrom('none', 'bytes', 'stream') as fc.Arbitrary<'none' | 'bytes' | 'stream'>, (method, list, body) => {
        const normalized = method.toUpperCase();
        const input = { method, headers: list, body: normalized === 'POST' ? body : ('none' as const) };
        const result = toSimpleRequest(input);
        const explanation = explainRequest(
          { url: 'https://api.example/x', method: result.method, headers: result.headers, body: result.body },
          'https://app.example',
        );
        expect(explanation.reasons).toEqual([]);
        expect(explanation.simple).toBe(true);
        expect(explanation.preflight).toBe(false);
        expect(toSimpleRequest(result).changes).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  const url = fc.webUrl({
    validSchemes: ['http', 'https', 'ws', 'wss'],
    authoritySettings: { withIPv4: true, withIPv6: true, withPort: true },
    withQueryParameters: true,
    withFragments: true,
  });

  it('originOf is idempotent', () => {
    fc.assert(
      fc.property(url, (u) => {
        expect(originOf(originOf(u))).toBe(originOf(u));
      }),
      { numRuns: 500 },
    );
  });

  it('isSameOrigin is symmetric, and reflexive for tuple origins', () => {
    fc.assert(
      fc.property(url, url, (a, b) => {
        expect(isSameOrigin(a, b)).toBe(isSameOrigin(b, a));
        expect(isSameOrigin(a, a)).toBe(true);
        expect(isSameOrigin(a, originOf(a))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('an explicit default port never changes the origin', () => {
    fc.assert(
      fc.property(fc.domain(), fc.constantFrom(['http', 80], ['https', 443]) as fc.Arbitrary<[string, number]>, (host, [scheme, port]) => {
        expect(isSameOrigin(`${scheme}://${host}:${port}/a`, `${scheme}://${host.toUpperCase()}/b`)).toBe(true);
      }),
    );
  });
});
