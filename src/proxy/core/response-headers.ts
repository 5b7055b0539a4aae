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
 * Target headers never passed back: hop-by-hop fields (RFC 9110 §7.6.1), and fields that would
 * act on the app's origin instead of the target's (cookies, HSTS, Clear-Site-Data, Alt-Svc, a
 * wider service-worker scope, reporting endpoints, a CSP meant for the target's documents).
 */
const NOT_PASSED_BACK = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'set-cookie',
  'set-cookie2',
  'strict-transport-security',
  'public-key-pins',
  'public-key-pins-report-only',
  'clear-site-data',
  'alt-svc',
  'service-worker-allowed',
  'content-security-policy',
  'content-security-policy-report-only',
  'nel',
  'report-to',
  'reporting-endpoints',
  'vary',
  // A 401's challenge would make the browser prompt for, and keep, credentials for the app's origin.
  'www-authenticate',
  'authentication-info',
]);

/** Every proxied answer is inert as a document: if a browser ever rendered one, it runs nothing and loads nothing. */
const SANDBOX: [string, string] = ['content-security-policy', "default-src 'none'; sandbox"];
/** …and is never sniffed into something else: JSON or text from a target cannot be run as a script of the app's origin. */
const NOSNIFF: [string, string] = ['x-content-type-options', 'nosniff'];

/** Headers of a passed-on answer: the target's, filtered, then Vary, CORS for the caller and the proxy's summary. */
export function answerHeaders(upstream: HeaderPairs, corsOrigin: string | null, summary: UpstreamSummary): HeaderPairs {
  const vary: string[] = [];
  const kept: HeaderPairs = [];
  let listed: string[] | undefined;
  for (const pair of upstream) {
    const name = pair[0];
    if (name === 'vary') vary.push(...headerTokens(pair[1]));
    else if (name === 'connection') listed = headerTokens(pair[1].toLowerCase());
    else if (!NOT_PASSED_BACK.has(name) && !name.startsWith('access-control-') && !name.startsWith('x-crossroute-')) kept.push(pair);
  }
  // One user's credentialed answer must never be served to another by a shared cache in front of the app.
  const passed = (listed ? kept.filter(([name]) => !listed.includes(name)) : kept).filter(([name]) => !summary.credentialed || name !== 'cache-control');
  if (summary.credentialed) passed.push(['cache-control', 'private, no-store']);
  // The answer differs by caller (CORS), so caches must key on Origin as well as on what the target varies on.
  if (!vary.some((token) => token === '*' || token.toLowerCase() === 'origin')) vary.push('Origin');
  passed.push(['vary', vary.join(', ')], SANDBOX, NOSNIFF);
  withCors(passed, corsOrigin);
  passed.push(
    ['x-crossroute-upstream-status', String(summary.status)],
    ['x-crossroute-upstream-url', summary.url.href],
    ['x-crossroute-redirects', String(summary.redirects)],
  );
  return passed;
}

/** Headers of the proxy's own JSON error. */
export function failureHeaders(config: ProxyConfig, failure: ProxyFailure, corsOrigin: string | null): HeaderPairs {
  const headers: HeaderPairs = [['content-type', 'application/json; charset=utf-8'], ['cache-control', 'no-store'], ['vary', 'Origin'], SANDBOX];
  if (failure.status === 405) headers.push(['allow', config.methodList]);
  return withCors(headers, corsOrigin);
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
