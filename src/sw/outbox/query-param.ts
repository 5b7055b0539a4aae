/**
 * `url` with `name=value` appended to its query. Appended as text rather than through
 * URLSearchParams, which would re-encode the parameters already there (a space in `q=a%20b` would
 * come out as `+`), so the server gets the page's query byte for byte. The fragment is never sent.
 */
export function withQueryParam(url: string, name: string, value: string): string {
  const hash = url.indexOf('#');
  const base = hash === -1 ? url : url.slice(0, hash);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
}
