import { parseTokenList } from './header-list-values.js';

/** CORS-safelisted response-header names: always readable by the page. */
const SAFELISTED = new Set(['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma']);
/** Forbidden response-header names: never readable, whatever Expose-Headers says. */
const FORBIDDEN = new Set(['set-cookie', 'set-cookie2']);

/** The names, of those the page reads, that a cors-tainted response hides from it (lower-case). */
export function unexposedHeaders(headers: Headers, read: readonly string[], credentialed: boolean): string[] {
  const parsed = parseTokenList(headers.get('access-control-expose-headers'));
  const exposed = new Set('tokens' in parsed ? parsed.tokens.map((token) => token.toLowerCase()) : []);
  const wildcard = exposed.has('*') && !credentialed;
  return read
    .map((name) => name.toLowerCase())
    .filter((name) => FORBIDDEN.has(name) || !(SAFELISTED.has(name) || exposed.has(name) || wildcard));
}

/** The Expose-Headers value that adds `hidden` to what the answer already exposes. */
export function exposeList(headers: Headers, hidden: readonly string[]): string {
  const parsed = parseTokenList(headers.get('access-control-expose-headers'));
  return [...('tokens' in parsed ? parsed.tokens.filter((token) => token !== '*') : []), ...hidden].join(', ');
}
