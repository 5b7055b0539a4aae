import { describe, expect, it } from 'vitest';
import { isForbiddenRequestHeader } from '../../../src/fetch-spec/index.js';
import { getDecodeSplit } from '../../../src/fetch-spec/split-header-value.js';

describe('isForbiddenRequestHeader', () => {
  it.each([
    'Accept-Charset',
    'Accept-Encoding',
    'Access-Control-Request-Headers',
    'Access-Control-Request-Method',
    'Connection',
    'Content-Length',
    'Cookie',
    'Cookie2',
    'Date',
    'DNT',
    'Expect',
    'Host',
    'Keep-Alive',
    'Origin',
    'Referer',
    'Set-Cookie',
    'TE',
    'Trailer',
    'Transfer-Encoding',
    'Upgrade',
    'Via',
    'host',
    'COOKIE',
  ])('%s is forbidden', (name) => {
    expect(isForbiddenRequestHeader(name, 'x')).toBe(true);
  });

  it.each(['Sec-Fetch-Mode', 'sec-ch-ua', 'SEC-', 'Proxy-Authorization', 'proxy-x'])('%s (sec-/proxy- prefix) is forbidden', (name) => {
    expect(isForbiddenRequestHeader(name, 'x')).toBe(true);
  });

  it.each(['User-Agent', 'Authorization', 'X-Api-Key', 'Content-Type', 'secret', 'proxy', 'Referrer-Policy'])(
    '%s is not forbidden',
    (name) => {
      expect(isForbiddenRequestHeader(name, 'x')).toBe(false);
    },
  );

  describe.each(['X-HTTP-Method', 'X-HTTP-Method-Override', 'x-method-override'])('%s', (name) => {
    it.each(['TRACE', 'track', 'Connect', 'trace,', 'GET,track ', ' connect', 'GET, "x", TRACE'])(
      'is forbidden with %j',
      (value) => {
        expect(isForbiddenRequestHeader(name, value)).toBe(true);
      },
    );
    it.each(['GET', 'PUT', 'GETTRACE', '",TRACE",', '"TRACE"', ''])('is allowed with %j', (value) => {
      expect(isForbiddenRequestHeader(name, value)).toBe(false);
    });
  });
});

describe('getDecodeSplit (Fetch "get, decode, and split")', () => {
  it.each([
    ['nosniff,', ['nosniff', '']],
    ['', ['']],
    ['text/html;", x/x', ['text/html;", x/x']],
    ['x/x;test="hi",y/y', ['x/x;test="hi"', 'y/y']],
    ['x / x,,,1', ['x / x', '', '', '1']],
    ['"1,2", 3', ['"1,2"', '3']],
    ['"a\\"b,c", d', ['"a\\"b,c"', 'd']],
    ['"trailing\\', ['"trailing\\']],
  ])('%j → %j', (value, expected) => {
    expect(getDecodeSplit(value)).toEqual(expected);
  });
});
