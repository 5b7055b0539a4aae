import { ProxyFailure, quote } from './proxy-failure.js';

// The URL parser silently drops tabs and newlines and trims spaces; a target that needed that is refused instead.
const CONTROL_OR_EDGE_SPACE = /[\u0000-\u001f\u007f]|^\s|\s$/;

/** What is wrong with `url` as a proxy target (scheme, credentials), or undefined. */
export function urlProblem(url: URL): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `the scheme ${url.protocol} is not proxied; only http: and https: are`;
  if (url.username || url.password) return 'it carries credentials (user:password@); they are never proxied: send them in a header a target rule forwards';
  return undefined;
}

/** The `url` parameter as a target URL, or a 400 that says what is wrong with it. */
export function parseTarget(raw: string | null): URL {
  const fix = 'Call the proxy with ?url=<absolute http(s) URL, percent-encoded>.';
  if (raw === null || raw === '') throw new ProxyFailure('malformed-url', 400, `the url parameter is missing. ${fix}`);
  const control = CONTROL_OR_EDGE_SPACE.exec(raw);
  if (control) {
    const what = control[0] === '\r' || control[0] === '\n' ? 'a CR or LF' : /\s/.test(control[0]) ? 'whitespace' : 'a control character';
    throw new ProxyFailure('malformed-url', 400, `the url parameter has ${what} at position ${control.index}: ${quote(raw)}. Percent-encode it or remove it.`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ProxyFailure('malformed-url', 400, `the url parameter is not an absolute URL: ${quote(raw)}. ${fix}`);
  }
  const problem = urlProblem(url);
  if (problem) throw new ProxyFailure('malformed-url', 400, `the url parameter ${quote(raw)} is refused: ${problem}.`);
  return url;
}
