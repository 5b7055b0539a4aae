import { isHttpToken, normalizeHeaderValue } from './http-syntax.js';

const TRAILING_HTTP_WHITESPACE = /[\t\n\r ]+$/;

/**
 * Essence ("type/subtype", lower-cased) from the MIME Sniffing "parse a MIME type" algorithm, or
 * null on failure. Parameters never make parsing fail, so they are not looked at.
 * Deliberately not "extract a MIME type", which is more forgiving than servers are.
 */
export function parseMimeEssence(value: string): string | null {
  const input = normalizeHeaderValue(value);
  const slash = input.indexOf('/');
  if (slash === -1) return null;
  const type = input.slice(0, slash);
  const semicolon = input.indexOf(';', slash + 1);
  const subtype = input
    .slice(slash + 1, semicolon === -1 ? undefined : semicolon)
    .replace(TRAILING_HTTP_WHITESPACE, '');
  if (!isHttpToken(type) || !isHttpToken(subtype)) return null;
  return `${type}/${subtype}`.toLowerCase();
}
