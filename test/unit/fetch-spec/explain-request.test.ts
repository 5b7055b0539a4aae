import { describe, expect, it } from 'vitest';
import { explainRequest, FetchSpecError, type RequestDescriptor } from '../../../src/fetch-spec/index.js';

const PAGE = 'https://huli.tw';
const API = 'https://api.huli.tw/v1/items';

const explain = (req: Partial<RequestDescriptor>, clientOrigin: string = PAGE) =>
  explainRequest({ url: API, method: 'GET', headers: {}, ...req }, clientOrigin);

describe('explainRequest: origin', () => {
  it('same-origin request is never preflighted, even when not simple', () => {
    const result = explain({ url: 'https://huli.tw/api', method: 'PUT' });
    expect(result).toMatchObject({ crossOrigin: false, targetOrigin: 'https://huli.tw', simple: false, preflight: false });
  });

  it('takes the client origin from req.origin when not passed', () => {
    expect(explainRequest({ url: API, method: 'GET', headers: {}, origin: 'https://api.huli.tw/page' }).crossOrigin).toBe(
      false,
    );
  });

  it('the clientOrigin argument wins over req.origin', () => {
    expect(explainRequest({ url: API, method: 'GET', headers: {}, origin: 'https://api.huli.tw' }, PAGE).crossOrigin).toBe(
      true,
    );
  });

  it('fails clearly without a client origin', () => {
    const attempt = () => explainRequest({ url: API, method: 'GET', headers: {} });
    expect(attempt).toThrow(expect.objectContaining({ code: 'missing-client-origin' }));
    expect(attempt).toThrow(/clientOrigin is missing/);
  });

  it('an opaque client origin makes everything cross-origin', () => {
    expect(explain({ url: 'https://huli.tw/a' }, 'null').crossOrigin).toBe(true);
  });

  it('rejects a relative url', () => {
    expect(() => explain({ url: '/v1/items' })).toThrow(expect.objectContaining({ code: 'invalid-url' }));
  });
});

describe('explainRequest: simple requests', () => {
  it('a plain cross-origin GET is simple, no preflight', () => {
    expect(explain({})).toEqual({
      crossOrigin: true,
      targetOrigin: 'https://api.huli.tw',
      simple: true,
      preflight: false,
      reasons: [],
      ignoredForbidden: [],
      noCorsAllowed: true,
      noCorsDropped: [],
    });
  });

  it.each([
    ['text/plain; charset=utf-8'],
    ['application/x-www-form-urlencoded'],
    ['multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW'],
  ])('POST with content-type %s is simple', (contentType) => {
    const result = explain({ method: 'POST', body: 'bytes', headers: { 'Content-Type': contentType } });
    expect(result.simple).toBe(true);
    expect(result.preflight).toBe(false);
  });

  it('method case is normalized: "post" and "get" are simple, HEAD too', () => {
    expect(explain({ method: 'post' }).simple).toBe(true);
    expect(explain({ method: 'get' }).simple).toBe(true);
    expect(explain({ method: 'HEAD' }).simple).toBe(true);
  });

  it('safelisted headers in any case are simple', () => {
    const headers = { ACCEPT: 'application/json', 'Accept-Language': 'zh-TW', 'content-LANGUAGE': 'en', Range: 'bytes=0-99' };
    expect(explain({ headers }).simple).toBe(true);
  });

  it('values are normalized before the length check', () => {
    expect(explain({ headers: { accept: ` ${'a'.repeat(128)}\t` } }).simple).toBe(true);
  });
});

describe('explainRequest: preflight reasons', () => {
  it('PUT', () => {
    const result = explain({ method: 'PUT' });
    expect(result.preflight).toBe(true);
    expect(result.reasons).toEqual([
      { code: 'method', method: 'PUT', message: 'PUT is not a CORS-safelisted method (GET, HEAD, POST)' },
    ]);
  });

  it('lower-case put is normalized to PUT; patch is not normalized', () => {
    expect(explain({ method: 'put' }).reasons[0]).toMatchObject({ code: 'method', method: 'PUT' });
    expect(explain({ method: 'patch' }).reasons[0]).toMatchObject({ code: 'method', method: 'patch' });
  });

  it.each(['DELETE', 'OPTIONS', 'PATCH', 'PROPFIND'])('%s needs a preflight', (method) => {
    expect(explain({ method }).preflight).toBe(true);
  });

  it('application/json content-type', () => {
    const result = explain({ method: 'POST', body: 'bytes', bodyType: 'json', headers: { 'Content-Type': 'application/json' } });
    expect(result.preflight).toBe(true);
    expect(result.reasons).toEqual([
      {
        code: 'content-type',
        essence: 'application/json',
        message: 'content-type application/json is not application/x-www-form-urlencoded, multipart/form-data or text/plain',
      },
    ]);
  });

  it('custom header', () => {
    expect(explain({ headers: { 'X-Api-Key': 'k' } }).reasons).toEqual([
      {
        code: 'header',
        name: 'x-api-key',
        message:
          'x-api-key is not a CORS-safelisted request-header (only accept, accept-language, content-language, content-type and range can be)',
      },
    ]);
  });

  it('Authorization always forces a preflight (seed 004)', () => {
    const result = explain({ headers: { Authorization: 'Bearer abc' } });
    expect(result.preflight).toBe(true);
    expect(result.reasons).toHaveLength(1);
    expect(result.reasons[0]?.code).toBe('authorization');
  });

  it('value over 128 bytes', () => {
    expect(explain({ headers: { accept: 'a'.repeat(129) } }).reasons).toEqual([
      {
        code: 'value-too-long',
        name: 'accept',
        bytes: 129,
        message: 'accept value is 129 bytes; a CORS-safelisted value is at most 128 bytes',
      },
    ]);
  });

  it('unsafe byte', () => {
    expect(explain({ headers: { accept: 'text/html{' } }).reasons).toEqual([
      {
        code: 'unsafe-byte',
        name: 'accept',
        byte: 0x7b,
        message: 'accept value contains byte 0x7B ({), a CORS-unsafe request-header byte',
      },
    ]);
    expect(explain({ headers: { 'content-language': 'en_US' } }).reasons[0]?.message).toBe(
      'content-language value contains byte 0x5F (_); only 0-9 A-Z a-z space * , - . ; = are safelisted',
    );
  });

  it('range without a start', () => {
    expect(explain({ headers: { range: 'bytes=-500' } }).reasons).toEqual([
      { code: 'range', value: 'bytes=-500', message: 'range "bytes=-500" is not a single range with a start (bytes=N- or bytes=N-M)' },
    ]);
  });

  it('safelisted total over 1024 bytes (exactly 1024 is fine)', () => {
    const accept = Array.from({ length: 8 }, (): [string, string] => ['accept', 'a'.repeat(128)]);
    expect(explain({ headers: accept }).simple).toBe(true);
    const result = explain({ headers: [...accept, ['accept-language', 'e']] });
    expect(result.preflight).toBe(true);
    expect(result.reasons).toMatchObject([{ code: 'safelisted-total-over-1024', bytes: 1025, names: ['accept', 'accept-language'] }]);
  });

  it('ReadableStream body forces a preflight and rules out no-cors', () => {
    const result = explain({ method: 'POST', body: 'stream', headers: { 'content-type': 'text/plain' } });
    expect(result.simple).toBe(false);
    expect(result.preflight).toBe(true);
    expect(result.noCorsAllowed).toBe(false);
    expect(result.reasons).toEqual([{ code: 'stream-body', message: expect.stringMatching(/duplex: 'half'/) }]);
  });

  it('lists every reason, in order: method, body, then headers', () => {
    const result = explain({
      method: 'PUT',
      body: 'stream',
      headers: [
        ['Content-Type', 'application/json'],
        ['Authorization', 'Bearer t'],
        ['X-Custom', '1'],
      ],
    });
    expect(result.reasons.map((reason) => reason.code)).toEqual(['method', 'stream-body', 'content-type', 'authorization', 'header']);
  });
});

describe('explainRequest: forbidden request-headers', () => {
  it('are ignored (the browser sets them) and listed separately', () => {
    const result = explain({
      headers: {
        Cookie: 'a=1',
        Host: 'evil.example',
        Origin: 'https://evil.example',
        'Content-Length': '5',
        'Sec-Fetch-Mode': 'cors',
        'Proxy-Authorization': 'Basic x',
        'X-HTTP-Method-Override': 'TRACE',
      },
    });
    expect(result.simple).toBe(true);
    expect(result.reasons).toEqual([]);
    expect(result.ignoredForbidden).toEqual([
      'cookie',
      'host',
      'origin',
      'content-length',
      'sec-fetch-mode',
      'proxy-authorization',
      'x-http-method-override',
    ]);
  });

  it('a method-override header with an allowed method is an ordinary unsafe header', () => {
    const result = explain({ headers: { 'X-HTTP-Method-Override': 'PUT' } });
    expect(result.ignoredForbidden).toEqual([]);
    expect(result.reasons).toMatchObject([{ code: 'header', name: 'x-http-method-override' }]);
  });
});

describe('explainRequest: modes', () => {
  it('no-cors never preflights; reports what it would drop', () => {
    const result = explain({
      mode: 'no-cors',
      headers: [
        ['accept', 'image/*'],
        ['x-api-key', 'k'],
        ['range', 'bytes=0-'],
        ['content-type', 'application/json'],
      ],
    });
    expect(result).toMatchObject({ simple: false, preflight: false, noCorsAllowed: true });
    expect(result.noCorsDropped).toEqual(['x-api-key', 'range', 'content-type']);
  });

  it('no-cors drops an append that would push the combined value out of the safelist', () => {
    const result = explain({ mode: 'no-cors', headers: [['accept', 'a'.repeat(100)], ['accept', 'b'.repeat(30)]] });
    expect(result.noCorsDropped).toEqual(['accept']);
    expect(explain({ mode: 'no-cors', headers: [['accept', 'a'], ['accept', 'b']] }).noCorsDropped).toEqual([]);
  });

  it('no-cors is not allowed for a non-safelisted method (TypeError at construction)', () => {
    expect(explain({ mode: 'no-cors', method: 'PUT' }).noCorsAllowed).toBe(false);
    expect(explain({ mode: 'no-cors', method: 'POST', body: 'bytes' }).noCorsAllowed).toBe(true);
  });

  it.each(['navigate', 'websocket', 'same-origin'] as const)('%s mode is never preflighted', (mode) => {
    expect(explain({ mode, method: 'PUT' }).preflight).toBe(false);
  });

  it('explicit cors mode is the default', () => {
    expect(explain({ mode: 'cors', method: 'PUT' }).preflight).toBe(true);
  });

  it('non-HTTP(S) targets are never preflighted', () => {
    const result = explain({ url: 'data:text/plain,hi', method: 'PUT' });
    expect(result).toMatchObject({ crossOrigin: true, targetOrigin: 'null', simple: false, preflight: false });
  });
});

describe('explainRequest: what fetch() would throw', () => {
  it.each(['GET', 'HEAD', 'get'])('%s with a body', (method) => {
    expect(() => explain({ method, body: 'bytes' })).toThrow(expect.objectContaining({ code: 'body-with-get-or-head' }));
  });

  it('forbidden method', () => {
    expect(() => explain({ method: 'TRACE' })).toThrow(expect.objectContaining({ code: 'forbidden-method' }));
  });

  it('invalid header name or value', () => {
    expect(() => explain({ headers: { 'bad name': 'x' } })).toThrow(expect.objectContaining({ code: 'invalid-header-name' }));
    expect(() => explain({ headers: { 'x-a': 'line1\nline2' } })).toThrow(
      expect.objectContaining({ code: 'invalid-header-value' }),
    );
  });

  it('header value outside the byte range names the header and the fix', () => {
    const attempt = () => explain({ headers: { 'x-user': 'Zo\u00eb \u263a' } });
    expect(attempt).toThrow(FetchSpecError);
    expect(attempt).toThrow(/header "x-user" value has U\+263A at index 4.*encodeURIComponent/);
  });
});
