import { FetchSpecError } from './errors.js';

// RFC 9110 token: method names and header names.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// HTTP whitespace bytes: HT, LF, CR, SP.
const LEADING_OR_TRAILING_HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/** Whether `value` is an HTTP token (RFC 9110): what a method or a header name must be. */
export function isHttpToken(value: string): boolean {
  return TOKEN.test(value);
}

/** Fetch "normalize" a header value: strip leading and trailing HTTP whitespace bytes. */
export function normalizeHeaderValue(value: string): string {
  return value.replace(LEADING_OR_TRAILING_HTTP_WHITESPACE, '');
}

/**
 * Header values are byte sequences; a JS string stands for one only if every code unit is ≤ 0xFF
 * (WebIDL ByteString). Then string length is the byte length.
 */
export function assertByteString(value: string, field: string): void {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code > 0xff) {
      const codePoint = code.toString(16).toUpperCase().padStart(4, '0');
      throw new FetchSpecError(
        'header-value-not-bytes',
        `${field} has U+${codePoint} at index ${index}, outside the byte range 0x00-0xFF: ` +
          'header values are byte strings, percent-encode the text first (e.g. encodeURIComponent)',
      );
    }
  }
}

/** "0x22 (\")" for printable ASCII, "0x1F" otherwise. */
export function describeByte(byte: number): string {
  const hex = `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return byte > 0x20 && byte < 0x7f ? `${hex} (${String.fromCharCode(byte)})` : hex;
}
