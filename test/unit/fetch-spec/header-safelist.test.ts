import { describe, expect, it } from 'vitest';
import {
  corsSafelistViolation,
  FetchSpecError,
  isCorsSafelistedRequestHeader,
  isCorsUnsafeRequestHeaderByte,
  isNoCorsSafelistedRequestHeader,
} from '../../../src/fetch-spec/index.js';

const ALL_BYTES = Array.from({ length: 256 }, (_, byte) => byte);
const hex = (byte: number) => `0x${byte.toString(16).padStart(2, '0')}`;

// Written out from the Fetch Standard, independently of the implementation.
const UNSAFE_PUNCTUATION = [0x22, 0x28, 0x29, 0x3a, 0x3c, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x7b, 0x7d, 0x7f];
const EXPECTED_UNSAFE = new Set([
  ...ALL_BYTES.filter((byte) => byte < 0x20 && byte !== 0x09),
  ...UNSAFE_PUNCTUATION,
]);
const LANGUAGE_BYTES = new Set(
  [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz *,-.;='].map((c) => c.charCodeAt(0)),
);

describe('CORS-unsafe request-header byte', () => {
  it.each(ALL_BYTES.map((byte) => [hex(byte), byte, EXPECTED_UNSAFE.has(byte)] as const))(
    '%s unsafe=%s',
    (_label, byte, unsafe) => {
      expect(isCorsUnsafeRequestHeaderByte(byte)).toBe(unsafe);
    },
  );

  it('HT (0x09) is allowed, space and 0x80-0xFF too', () => {
    expect(isCorsUnsafeRequestHeaderByte(0x09)).toBe(false);
    expect(isCorsUnsafeRequestHeaderByte(0x20)).toBe(false);
    expect(isCorsUnsafeRequestHeaderByte(0xff)).toBe(false);
  });
});

describe.each(['accept', 'content-type'])('%s: CORS-unsafe bytes make it unsafe', (name) => {
  const base = name === 'accept' ? 'text/html' : 'text/plain;x=';
  it.each(ALL_BYTES.map((byte) => [hex(byte), byte] as const))('with byte %s', (_label, byte) => {
    const value = `${base}${String.fromCharCode(byte)}`;
    const violation = corsSafelistViolation(name, value);
    if (EXPECTED_UNSAFE.has(byte)) {
      expect(violation).toMatchObject({ code: 'unsafe-byte', name, byte });
    } else {
      expect(violation?.code).not.toBe('unsafe-byte');
    }
  });
});

describe.each(['accept-language', 'content-language'])('%s: only 0-9 A-Z a-z space * , - . ; =', (name) => {
  it.each(ALL_BYTES.map((byte) => [hex(byte), byte] as const))('with byte %s', (_label, byte) => {
    const value = `en${String.fromCharCode(byte)}`;
    expect(isCorsSafelistedRequestHeader(name, value)).toBe(LANGUAGE_BYTES.has(byte));
    if (!LANGUAGE_BYTES.has(byte)) {
      expect(corsSafelistViolation(name, value)).toMatchObject({ code: 'unsafe-byte', name, byte });
    }
  });

  it('accepts a realistic value', () => {
    expect(isCorsSafelistedRequestHeader(name, 'zh-TW,zh;q=0.9,en-US;q=0.8,*;q=0.5')).toBe(true);
  });

  it('rejects bytes accept would allow (stricter than accept)', () => {
    expect(isCorsSafelistedRequestHeader(name, 'en_US')).toBe(false);
    expect(isCorsSafelistedRequestHeader('accept', 'en_US')).toBe(true);
    expect(isCorsSafelistedRequestHeader(name, 'en\tUS')).toBe(false);
    expect(isCorsSafelistedRequestHeader('accept', 'en\tUS')).toBe(true);
  });
});

describe('value length limit (128 bytes)', () => {
  it.each([
    ['accept', 'a'],
    ['accept-language', 'a'],
    ['content-language', 'a'],
  ])('%s: 128 bytes ok, 129 not', (name, fill) => {
    expect(isCorsSafelistedRequestHeader(name, fill.repeat(128))).toBe(true);
    expect(corsSafelistViolation(name, fill.repeat(129))).toMatchObject({ code: 'value-too-long', name, bytes: 129 });
  });

  it('content-type: 128 bytes ok, 129 not', () => {
    const prefix = 'text/plain;p=';
    expect(isCorsSafelistedRequestHeader('content-type', prefix + 'x'.repeat(128 - prefix.length))).toBe(true);
    expect(corsSafelistViolation('content-type', prefix + 'x'.repeat(129 - prefix.length))).toMatchObject({
      code: 'value-too-long',
      bytes: 129,
    });
  });

  it('range: 128 bytes ok, 129 not', () => {
    const at = (length: number) => `bytes=${'1'.repeat(length - 'bytes=-'.length)}-`;
    expect(isCorsSafelistedRequestHeader('range', at(128))).toBe(true);
    expect(corsSafelistViolation('range', at(129))?.code).toBe('value-too-long');
  });

  it('counts Latin-1 characters as one byte each', () => {
    expect(isCorsSafelistedRequestHeader('accept', '\u00e9'.repeat(128))).toBe(true);
    expect(isCorsSafelistedRequestHeader('accept', '\u00e9'.repeat(129))).toBe(false);
  });
});

describe('content-type essence', () => {
  it.each([
    'text/plain',
    'text/plain; charset=utf-8',
    'TEXT/Plain;charset=UTF-8',
    ' text/plain ',
    'text/plain ;x=y',
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded;charset=UTF-8',
    'multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW',
    'text/plain;;;junk',
    'text/plain;charset',
  ])('%j is safelisted', (value) => {
    expect(isCorsSafelistedRequestHeader('content-type', value)).toBe(true);
  });

  it.each([
    ['application/json', 'application/json'],
    ['application/json; charset=utf-8', 'application/json'],
    ['text/html', 'text/html'],
    ['text/plain+json', 'text/plain+json'],
    ['application/x-www-form-urlencoded2', 'application/x-www-form-urlencoded2'],
  ])('%j is not (essence %s)', (value, essence) => {
    expect(corsSafelistViolation('content-type', value)).toMatchObject({ code: 'content-type', essence });
  });

  it.each(['text', 'text/', '/plain', 'text /plain', 'te xt/plain', ''])('%j is not a MIME type', (value) => {
    expect(corsSafelistViolation('content-type', value)).toMatchObject({ code: 'content-type', essence: null });
  });

  it('a quoted parameter contains 0x22, a CORS-unsafe byte', () => {
    expect(corsSafelistViolation('content-type', 'multipart/form-data; boundary="abc"')).toMatchObject({
      code: 'unsafe-byte',
      byte: 0x22,
    });
  });

  it('message names the essence and the allowed ones', () => {
    expect(corsSafelistViolation('content-type', 'application/json')?.message).toBe(
      'content-type application/json is not application/x-www-form-urlencoded, multipart/form-data or text/plain',
    );
  });
});

describe('range', () => {
  it.each(['bytes=0-', 'bytes=500-', 'bytes=0-499', 'bytes=5-5', 'bytes=007-010'])('%j is safelisted', (value) => {
    expect(isCorsSafelistedRequestHeader('range', value)).toBe(true);
  });

  it.each([
    'bytes=-500', // suffix range: no start
    'bytes=-',
    'bytes=500-100', // start > end
    'bytes=0-1,2-3', // multiple ranges
    'bytes=0-1, 2-3',
    'Bytes=0-', // "bytes" is case-sensitive
    'bytes = 0-', // no whitespace allowed
    'bytes=0 -1',
    'bytes=abc-',
    'bytes=0',
    'items=0-',
    '',
  ])('%j is not', (value) => {
    expect(corsSafelistViolation('range', value)).toMatchObject({ code: 'range', value });
  });

  it('compares huge bounds exactly', () => {
    expect(isCorsSafelistedRequestHeader('range', 'bytes=9007199254740993-9007199254740992')).toBe(false);
    expect(isCorsSafelistedRequestHeader('range', 'bytes=9007199254740992-9007199254740993')).toBe(true);
  });
});

describe('header names', () => {
  it.each([
    ['Accept', 'text/html'],
    ['ACCEPT', 'text/html'],
    ['Content-Type', 'text/plain'],
    ['CONTENT-LANGUAGE', 'en'],
    ['Accept-LANGUAGE', 'en'],
    ['Range', 'bytes=0-'],
  ])('%s matches case-insensitively', (name, value) => {
    expect(isCorsSafelistedRequestHeader(name, value)).toBe(true);
  });

  it('reports the lower-cased name', () => {
    expect(corsSafelistViolation('Accept', 'a'.repeat(200))).toMatchObject({ name: 'accept' });
  });

  it.each(['x-api-key', 'X-Requested-With', 'cache-control', 'user-agent', 'content-encoding'])(
    '%s is not safelisted',
    (name) => {
      expect(corsSafelistViolation(name, 'x')).toMatchObject({ code: 'header', name: name.toLowerCase() });
    },
  );

  it('authorization (any case) is a CORS non-wildcard request-header name, never safelisted (seed 004)', () => {
    for (const name of ['authorization', 'Authorization', 'AUTHORIZATION']) {
      const violation = corsSafelistViolation(name, 'Bearer abc');
      expect(violation?.code).toBe('authorization');
      expect(violation?.message).toMatch(/Access-Control-Allow-Headers/);
    }
  });

  it('an unknown name is reported as such even with an over-long value', () => {
    expect(corsSafelistViolation('x-custom', 'a'.repeat(500))?.code).toBe('header');
  });
});

describe('byte strings', () => {
  it('a code unit above 0xFF is reported, not silently truncated', () => {
    expect(() => isCorsSafelistedRequestHeader('accept', 'price in \u20ac')).toThrow(FetchSpecError);
    expect(() => isCorsSafelistedRequestHeader('accept', 'price in \u20ac')).toThrow(
      expect.objectContaining({ code: 'header-value-not-bytes' }),
    );
    expect(() => isCorsSafelistedRequestHeader('accept', '\u20ac')).toThrow(/header "accept" value has U\+20AC at index 0/);
  });
});

describe('no-CORS-safelisted request-header', () => {
  it.each([
    ['accept', '*/*', true],
    ['accept-language', 'en', true],
    ['content-language', 'en', true],
    ['content-type', 'text/plain', true],
    ['content-type', 'application/json', false],
    ['range', 'bytes=0-', false], // CORS-safelisted but a privileged no-CORS name
    ['x-custom', 'a', false],
  ] as const)('%s: %s → %s', (name, value, expected) => {
    expect(isNoCorsSafelistedRequestHeader(name, value)).toBe(expected);
  });
});
