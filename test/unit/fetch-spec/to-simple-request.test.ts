import { describe, expect, it } from 'vitest';
import { explainRequest, FetchSpecError, toSimpleRequest } from '../../../src/fetch-spec/index.js';

const explainSimple = (result: ReturnType<typeof toSimpleRequest>) =>
  explainRequest(
    { url: 'https://api.huli.tw/x', method: result.method, headers: result.headers, body: result.body },
    'https://huli.tw',
  );

describe('toSimpleRequest', () => {
  it('JSON POST with Authorization and X-Custom becomes a simple text/plain POST', () => {
    const result = toSimpleRequest({
      method: 'POST',
      body: 'bytes',
      headers: {
        'Content-Type': 'application/json',
        Authorization: 'Bearer eyJhbGciOi',
        'X-Custom': '42',
        Accept: 'application/json',
      },
    });
    expect(result.method).toBe('POST');
    expect(result.body).toBe('bytes');
    expect(result.headers).toEqual([
      ['content-type', 'text/plain;charset=UTF-8'],
      ['accept', 'application/json'],
    ]);
    expect(result.changes).toEqual([
      {
        code: 'content-type-retyped',
        from: 'application/json',
        to: 'text/plain;charset=UTF-8',
        message:
          'content-type re-typed to text/plain;charset=UTF-8 (content-type application/json is not application/x-www-form-urlencoded, multipart/form-data or text/plain); the server must parse the body without relying on it',
      },
      { code: 'header-dropped', name: 'authorization', reason: 'authorization', message: expect.stringMatching(/^authorization dropped: /) },
      { code: 'header-dropped', name: 'x-custom', reason: 'header', message: expect.stringMatching(/^x-custom dropped: x-custom is not/) },
    ]);
    const explanation = explainSimple(result);
    expect(explanation.simple).toBe(true);
    expect(explanation.preflight).toBe(false);
  });

  it('an already simple request is unchanged', () => {
    const result = toSimpleRequest({ method: 'get', headers: [['Accept', 'text/html'], ['Range', 'bytes=0-']] });
    expect(result).toEqual({
      method: 'GET',
      headers: [
        ['accept', 'text/html'],
        ['range', 'bytes=0-'],
      ],
      body: 'none',
      changes: [],
    });
  });

  it.each(['PUT', 'put', 'DELETE', 'PATCH', 'OPTIONS'])('%s cannot be made simple', (method) => {
    expect(() => toSimpleRequest({ method, headers: {} })).toThrow(FetchSpecError);
    expect(() => toSimpleRequest({ method, headers: {} })).toThrow(expect.objectContaining({ code: 'method-not-simple' }));
  });

  it('names the method, the allowed ones and the way out', () => {
    expect(() => toSimpleRequest({ method: 'put', headers: {} })).toThrow(
      'PUT cannot be sent as a CORS simple request: only GET, HEAD and POST can; use the proxy policy for this request',
    );
  });

  it('drops a non-simple content-type on GET instead of re-typing it (no body to describe)', () => {
    const result = toSimpleRequest({ method: 'GET', headers: { 'content-type': 'application/json' } });
    expect(result.headers).toEqual([]);
    expect(result.changes).toMatchObject([{ code: 'header-dropped', name: 'content-type', reason: 'content-type' }]);
  });

  it('re-types a content-type that is simple in essence but has an unsafe byte', () => {
    const result = toSimpleRequest({ method: 'POST', body: 'bytes', headers: { 'content-type': 'multipart/form-data; boundary="x"' } });
    expect(result.headers).toEqual([['content-type', 'text/plain;charset=UTF-8']]);
    expect(result.changes).toMatchObject([{ code: 'content-type-retyped', from: 'multipart/form-data; boundary="x"' }]);
  });

  it('keeps a simple content-type with parameters as is', () => {
    const result = toSimpleRequest({ method: 'POST', body: 'bytes', headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(result.headers).toEqual([['content-type', 'text/plain; charset=utf-8']]);
    expect(result.changes).toEqual([]);
  });

  it('drops values over 128 bytes, unsafe bytes and bad ranges with the rule as reason', () => {
    const result = toSimpleRequest({
      method: 'GET',
      headers: [
        ['accept', 'a'.repeat(129)],
        ['accept-language', 'en_US'],
        ['range', 'bytes=-500'],
        ['accept', 'a'.repeat(128)],
      ],
    });
    expect(result.headers).toEqual([['accept', 'a'.repeat(128)]]);
    expect(result.changes.map((change) => change.code === 'header-dropped' && change.reason)).toEqual([
      'value-too-long',
      'unsafe-byte',
      'range',
    ]);
  });

  it('drops forbidden request-headers', () => {
    const result = toSimpleRequest({ method: 'GET', headers: { Cookie: 'a=1', 'Sec-Fetch-Site': 'none', Accept: '*/*' } });
    expect(result.headers).toEqual([['accept', '*/*']]);
    expect(result.changes).toEqual([
      { code: 'header-dropped', name: 'cookie', reason: 'forbidden', message: 'cookie dropped: cookie is a forbidden request-header, only the browser sets it' },
      {
        code: 'header-dropped',
        name: 'sec-fetch-site',
        reason: 'forbidden',
        message: 'sec-fetch-site dropped: sec-fetch-site is a forbidden request-header, only the browser sets it',
      },
    ]);
  });

  it('enforces the 1024-byte total by dropping the largest values first', () => {
    const headers: Array<[string, string]> = [
      ['accept-language', 'e'.repeat(10)],
      ...Array.from({ length: 8 }, (): [string, string] => ['accept', 'a'.repeat(127)]),
      ['accept', 'b'.repeat(128)],
    ];
    // 10 + 8*127 + 128 = 1154 → drop the 128, then one 127 (the last of equals) → 899
    const result = toSimpleRequest({ method: 'GET', headers });
    const total = result.headers.reduce((sum, [, value]) => sum + value.length, 0);
    expect(total).toBe(899);
    expect(result.headers[0]).toEqual(['accept-language', 'e'.repeat(10)]);
    expect(result.headers.filter(([, value]) => value.startsWith('b'))).toEqual([]);
    expect(result.changes).toMatchObject([
      { code: 'header-dropped', name: 'accept', reason: 'safelisted-total-over-1024', message: expect.stringContaining('total 1154 bytes') },
      { code: 'header-dropped', name: 'accept', reason: 'safelisted-total-over-1024', message: expect.stringContaining('total 1026 bytes') },
    ]);
    expect(explainSimple(result).simple).toBe(true);
  });

  it('exactly 1024 bytes is kept whole', () => {
    const headers = Array.from({ length: 8 }, (): [string, string] => ['accept', 'a'.repeat(128)]);
    expect(toSimpleRequest({ method: 'GET', headers }).changes).toEqual([]);
  });

  it('a stream body is to be buffered into bytes', () => {
    const result = toSimpleRequest({ method: 'POST', body: 'stream', headers: {} });
    expect(result.body).toBe('bytes');
    expect(result.changes).toEqual([{ code: 'body-buffered', message: expect.stringContaining('arrayBuffer()') }]);
    expect(explainSimple(result).simple).toBe(true);
  });

  it('rejects what fetch() rejects', () => {
    expect(() => toSimpleRequest({ method: 'GET', body: 'bytes', headers: {} })).toThrow(
      expect.objectContaining({ code: 'body-with-get-or-head' }),
    );
    expect(() => toSimpleRequest({ method: 'POST', headers: { 'x-a': '\u20ac' } })).toThrow(
      expect.objectContaining({ code: 'header-value-not-bytes' }),
    );
  });
});
