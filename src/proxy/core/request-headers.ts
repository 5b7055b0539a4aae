import { isForbiddenRequestHeader } from '../../fetch-spec/index.js';
import { headerTokens } from './header-tokens.js';
import type { HeaderPairs, ProxyInput } from './proxy-input.js';
import type { AllowedTarget } from './target-matcher.js';

/** The caller's headers, split by how far along a redirect chain each may travel. */
export interface OutgoingHeaders {
  /** Content negotiation and conditionals: every hop gets them. */
  standard: HeaderPairs;
  /** Anything else the caller sent (an API key, an app header): hops on the first target's origin only. */
  custom: HeaderPairs;
  /** Released by a target rule, and on the first target's origin only. */
  authorization: string | null;
  cookie: string | null;
}

/** The request headers that describe what the caller wants back, and nothing about who it is. */
const STANDARD = new Set([
  'accept', 'accept-language', 'cache-control', 'pragma', 'range', 'if-match', 'if-none-match', 'if-modified-since',
  'if-unmodified-since', 'if-range', 'content-type', 'content-language', 'user-agent', 'x-requested-with',
]);

/**
 * Never forwarded: headers that describe the caller's hop or claim to describe a client (a proxy
 * that forwarded them would let callers spoof them to the target), path overrides some servers
 * route by, method overrides (they would get around options.methods), and compression-dictionary
 * ids, which the browser sends for the app's origin and would follow the caller to every target.
 */
const NEVER = new Set([
  'authorization', 'forwarded', 'via', 'x-real-ip', 'x-client-ip', 'true-client-ip', 'cf-connecting-ip', 'client-ip',
  'x-cluster-client-ip', 'x-originating-ip', 'x-remote-ip', 'x-remote-addr', 'fastly-client-ip', 'x-original-url',
  'x-rewrite-url', 'x-middleware-subrequest', 'x-http-method-override', 'x-http-method', 'x-method-override',
  'available-dictionary', 'dictionary-id',
]);
/** Fetch's request-body-header names: dropped when a redirect turns the request into a GET. */
const BODY_HEADERS = new Set(['content-type', 'content-encoding', 'content-language', 'content-location']);

/**
 * The proxy is the user agent of the upstream hop, so the headers a browser keeps for itself
 * (Fetch's forbidden request-header names: Cookie, Host, Origin, Referer, Connection and the other
 * hop-by-hop fields, Sec-*, Proxy-*...) are not passed on, nor is anything the caller's
 * `Connection` header lists, Authorization and Cookie included.
 */
export function outgoingHeaders(input: ProxyInput): OutgoingHeaders {
  const connection = input.header('connection');
  const listed = connection === null ? [] : headerTokens(connection.toLowerCase());
  const standard: HeaderPairs = [];
  const custom: HeaderPairs = [];
  for (const [name, value] of input.headers()) {
    if (NEVER.has(name) || name.startsWith('x-forwarded-') || isForbiddenRequestHeader(name, value) || listed.includes(name)) continue;
    (STANDARD.has(name) ? standard : custom).push([name, value]);
  }
  const credential = (name: string): string | null => (listed.includes(name) ? null : input.header(name));
  return { standard, custom, authorization: credential('authorization'), cookie: credential('cookie') };
}

/**
 * The headers of one hop. Like Fetch's, the rule for what the caller entrusted to the first target
 * (its custom headers, and the credentials a target rule releases) is that it stops for good once a
 * redirect has left that origin (`firstOrigin` false). `keepBodyHeaders` is false once a redirect
 * has turned the request into a GET without its body.
 */
export function hopHeaders(outgoing: OutgoingHeaders, rule: AllowedTarget | undefined, firstOrigin: boolean, keepBodyHeaders: boolean): HeaderPairs {
  const headers = firstOrigin ? [...outgoing.standard, ...outgoing.custom] : [...outgoing.standard];
  const kept = keepBodyHeaders ? headers : headers.filter(([name]) => !BODY_HEADERS.has(name));
  if (!firstOrigin || !rule) return kept;
  if (rule.forwardAuthorization && outgoing.authorization !== null) kept.push(['authorization', outgoing.authorization]);
  if (rule.forwardCookie && outgoing.cookie !== null) kept.push(['cookie', outgoing.cookie]);
  return kept;
}
