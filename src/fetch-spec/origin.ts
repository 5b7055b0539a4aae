import { parseUrl } from './url.js';

/** Serialization of an opaque origin. */
export const OPAQUE_ORIGIN = 'null';

/**
 * Serialized origin of a URL ("scheme://host[:port]", default port omitted, host lower-cased),
 * as the URL Standard defines it: http(s), ws(s) and ftp have tuple origins, blob: URLs take the
 * origin of the URL they wrap, every other scheme (data:, file:, about: ...) is opaque → "null".
 */
export function originOf(url: string): string {
  // A serialized origin is a valid input, so "null" must round-trip too.
  if (url === OPAQUE_ORIGIN) return OPAQUE_ORIGIN;
  return parseUrl(url, 'url').origin;
}

/**
 * Same origin: same scheme, host and port. Accepts URLs or serialized origins.
 * Opaque origins are only same-origin with themselves, and two "null" serializations cannot be
 * told apart, so they are never reported as same-origin.
 */
export function isSameOrigin(a: string, b: string): boolean {
  const originA = originOf(a);
  return originA !== OPAQUE_ORIGIN && originA === originOf(b);
}
