import { headerTokens } from './header-tokens.js';
import type { ProxyConfig } from './proxy-config.js';
import type { ProxyFailure } from './proxy-failure.js';
import type { HeaderPairs } from './proxy-input.js';

/** What the proxy says about the exchange, beside the target's own headers. */
export interface UpstreamSummary {
  status: number;
  url: URL;
  redirects: number;
  /** A target rule released the caller's Authorization or Cookie to some hop. */
  credentialed: boolean;
}

/**
 * Target headers passed back to the app's origin: those that describe the representation and its
 * freshness, and nothing that instructs the browser about the app's origin. An allowlist, because
 * browsers keep adding headers that act on the origin that served them (No-Vary-Search,
 * Use-As-Dictionary, Speculation-Rules, Set-Login...): a new one is dropped until listed here or
 * in options.exposeHeaders.
 */
const PASSED_BACK = new Set([
  'content-type', 'content-length', 'content-language', 'content-range', 'content-disposition',
  'etag', 'last-modified', 'accept-ranges', 'date', 'expires', 'retry-after', 'cache-control', 'age',
]);

/** Every proxied answer is inert as a document: if a browser ever rendered one, it runs nothing and loads nothing. */
const SANDBOX: [string, string] = ['content-security-policy', "default-src 'none'; sandbox"];
/** …and is never sniffed into something else: JSON or text from a target cannot be run as a script of the app's origin. */
const NOSNIFF: [string, string] = ['x-content-type-options', 'nosniff'];
/**
 * The answer differs by caller (CORS) and must never be taken from the HTTP cache for a request the
 * proxy would refuse (a navigation rendering what a fetch() stored): caches key on all three.
 */
const VARY_ALWAYS = ['Origin', 'Sec-Fetch-Dest', 'Sec-Fetch-Mode'];

/**
 * Headers of a passed-on answer: the target's allowed ones, then Vary, CORS for the caller and the
 * proxy's summary. `started` (epoch ms) is when the exchange began, for what is left of its deadline.
 */
export function answerHeaders(config: ProxyConfig, upstream: HeaderPairs, corsOrigin: string | null, summary: UpstreamSummary, started: number, exchangeId: string): HeaderPairs {
  const vary: string[] = [];
  const passed: HeaderPairs = [];
  let listed: string[] | undefined;
  for (const pair of upstream) {
    const name = pair[0];
    if (name === 'vary') vary.push(...headerTokens(pair[1]));
    else if (name === 'connection') listed = headerTokens(pair[1].toLowerCase());
    // One user's credentialed answer must never be served to another by a shared cache in front of the app.
    else if (name === 'cache-control' && summary.credentialed) continue;
    else if (PASSED_BACK.has(name) || config.exposeHeaders.has(name)) passed.push(pair);
  }
  const kept = listed ? passed.filter(([name]) => !listed.includes(name)) : passed;
  if (summary.credentialed) kept.push(['cache-control', 'private, no-store']);
  if (!vary.includes('*')) for (const token of VARY_ALWAYS) if (!vary.some((v) => v.toLowerCase() === token.toLowerCase())) vary.push(token);
  kept.push(['vary', vary.join(', ')], SANDBOX, NOSNIFF);
  withCors(kept, corsOrigin);
  kept.push(
    ['x-crossroute-upstream-status', String(summary.status)],
    ['x-crossroute-upstream-url', summary.url.href],
    ['x-crossroute-redirects', String(summary.redirects)],
    // A body cut after the status is only an error on the stream, the same for every cause: these
    // let the worker tell which limit it reached (the size, the deadline, a pause).
    ['x-crossroute-limits', `bytes=${config.maxResponseBytes}, pause=${config.timeoutMs / 1000}, deadline=${(Math.max(0, config.deadlineMs - (Date.now() - started)) / 1000).toFixed(3)}`],
    // …and engines may drop the bytes before a cut: this id asks the proxy which code it was (`?exchange=`).
    ['x-crossroute-exchange', exchangeId],
  );
  return kept;
}

/** Headers of the proxy's own JSON answers: its errors and its diagnoses. */
export function jsonHeaders(corsOrigin: string | null): HeaderPairs {
  return withCors([['content-type', 'application/json; charset=utf-8'], ['cache-control', 'no-store'], ['vary', 'Origin'], SANDBOX, NOSNIFF], corsOrigin);
}

/** Headers of the proxy's own JSON error. */
export function failureHeaders(config: ProxyConfig, failure: ProxyFailure, corsOrigin: string | null): HeaderPairs {
  const headers = jsonHeaders(corsOrigin);
  if (failure.status === 405) headers.push(['allow', config.methodList]);
  if (failure.code === 'proxy-busy') headers.push(['retry-after', '1']);
  return headers;
}

/** The answer to an allowed CORS preflight from an app origin. */
export function preflightHeaders(config: ProxyConfig, corsOrigin: string, requestedHeaders: string | null): HeaderPairs {
  const headers: HeaderPairs = [
    ['access-control-allow-methods', config.methodList],
    ['access-control-max-age', '600'],
    ['vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers'],
  ];
  // Any header may be asked for: the proxy drops what it never forwards, whatever the preflight allowed.
  if (requestedHeaders) headers.push(['access-control-allow-headers', requestedHeaders]);
  return withCors(headers, corsOrigin);
}

/** Grants the caller's origin; never credentials (the proxy forwards no cookies of the caller by default). */
function withCors(headers: HeaderPairs, corsOrigin: string | null): HeaderPairs {
  if (corsOrigin !== null) headers.push(['access-control-allow-origin', corsOrigin], ['access-control-expose-headers', '*']);
  return headers;
}
