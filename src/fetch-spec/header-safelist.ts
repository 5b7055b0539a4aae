import { assertByteString, describeByte } from './http-syntax.js';
import { parseMimeEssence } from './mime-type.js';
import type { HeaderReason } from './reasons.js';
import { parseSingleRange } from './single-range.js';

/** Most bytes the value of one CORS-safelisted request-header may have. */
export const MAX_SAFELISTED_VALUE_BYTES = 128;

const SIMPLE_CONTENT_TYPE_ESSENCES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);

const NO_CORS_SAFELISTED_NAMES = new Set(['accept', 'accept-language', 'content-language', 'content-type']);

/** CORS-unsafe request-header byte: controls other than HT, `"():<>?@[\]{}` and DEL. */
export function isCorsUnsafeRequestHeaderByte(byte: number): boolean {
  return (byte < 0x20 && byte !== 0x09) || '"():<>?@[\\]{}\x7f'.includes(String.fromCharCode(byte));
}

/** Accept-Language / Content-Language may only hold 0-9 A-Z a-z and ` *,-.;=`. */
function isLanguageByte(byte: number): boolean {
  return /^[0-9A-Za-z *,\-.;=]$/.test(String.fromCharCode(byte));
}

function firstByteWhere(value: string, predicate: (byte: number) => boolean): number | null {
  for (let index = 0; index < value.length; index++) {
    const byte = value.charCodeAt(index);
    if (predicate(byte)) return byte;
  }
  return null;
}

/**
 * Why (name, value) is not a CORS-safelisted request-header, or null if it is.
 * Same verdict as the spec algorithm; the name is examined before the length only so the
 * reason given is the one that no shorter value could fix.
 * Throws FetchSpecError if value is not a byte string.
 */
export function corsSafelistViolation(name: string, value: string): HeaderReason | null {
  assertByteString(value, `header "${name}" value`);
  const lowerName = name.toLowerCase();
  switch (lowerName) {
    case 'accept':
    case 'accept-language':
    case 'content-language':
    case 'content-type':
    case 'range':
      break;
    case 'authorization':
      return {
        code: 'authorization',
        message:
          'authorization is never CORS-safelisted and is a CORS non-wildcard request-header name: ' +
          'the server must list it explicitly in Access-Control-Allow-Headers ("*" does not cover it)',
      };
    default:
      return {
        code: 'header',
        name: lowerName,
        message: `${lowerName} is not a CORS-safelisted request-header (only accept, accept-language, content-language, content-type and range can be)`,
      };
  }
  if (value.length > MAX_SAFELISTED_VALUE_BYTES) {
    return {
      code: 'value-too-long',
      name: lowerName,
      bytes: value.length,
      message: `${lowerName} value is ${value.length} bytes; a CORS-safelisted value is at most ${MAX_SAFELISTED_VALUE_BYTES} bytes`,
    };
  }
  if (lowerName === 'range') return rangeViolation(value);
  const isLanguage = lowerName === 'accept-language' || lowerName === 'content-language';
  const badByte = isLanguage
    ? firstByteWhere(value, (byte) => !isLanguageByte(byte))
    : firstByteWhere(value, isCorsUnsafeRequestHeaderByte);
  if (badByte !== null) {
    return {
      code: 'unsafe-byte',
      name: lowerName,
      byte: badByte,
      message: isLanguage
        ? `${lowerName} value contains byte ${describeByte(badByte)}; only 0-9 A-Z a-z space * , - . ; = are safelisted`
        : `${lowerName} value contains byte ${describeByte(badByte)}, a CORS-unsafe request-header byte`,
    };
  }
  return lowerName === 'content-type' ? contentTypeViolation(value) : null;
}

function contentTypeViolation(value: string): HeaderReason | null {
  const essence = parseMimeEssence(value);
  if (essence === null) {
    return { code: 'content-type', essence, message: `content-type "${value}" is not a valid MIME type` };
  }
  if (SIMPLE_CONTENT_TYPE_ESSENCES.has(essence)) return null;
  return {
    code: 'content-type',
    essence,
    message: `content-type ${essence} is not application/x-www-form-urlencoded, multipart/form-data or text/plain`,
  };
}

function rangeViolation(value: string): HeaderReason | null {
  const range = parseSingleRange(value);
  if (range !== null && range.start !== null) return null;
  return {
    code: 'range',
    value,
    message: `range "${value}" is not a single range with a start (bytes=N- or bytes=N-M)`,
  };
}

/** Whether this header may be sent without a preflight (a CORS-safelisted request-header). */
export function isCorsSafelistedRequestHeader(name: string, value: string): boolean {
  return corsSafelistViolation(name, value) === null;
}

/** Accept, Accept-Language, Content-Language or Content-Type with a CORS-safelisted value. */
export function isNoCorsSafelistedRequestHeader(name: string, value: string): boolean {
  return NO_CORS_SAFELISTED_NAMES.has(name.toLowerCase()) && isCorsSafelistedRequestHeader(name, value);
}
