import { isForbiddenRequestHeader } from '../../fetch-spec/index.js';
import { headerTokens } from './header-tokens.js';
import type { HeaderPairs, ProxyInput } from './proxy-input.js';
import type { AllowedTarget } from './target-matcher.js';

/** The caller's headers, split into what every hop gets and the credentials only a target rule releases. */
export interface OutgoingHeaders {
  common: HeaderPairs;
  authorization: string | null;
  cookie: string | null;
}

/**
 * Headers that describe the caller's hop or claim to describe a client (a proxy that forwarded them
 * would let callers spoof them), and method overrides, which would get around options.methods.
 */
const CALLER_ONLY = new Set([
  'authorization', 'forwarded', 'x-real-ip', 'x-client-ip', 'true-client-ip', 'cf-connecting-ip',
  'x-http-method-override', 'x-http-method', 'x-method-override',
]);
/** Fetch's request-body-header names: dropped when a redirect turns the request into a GET. */
const BODY_HEADERS = new Set(['content-type', 'content-encoding', 'content-language', 'content-location']);

/**
 * The proxy is the user agent of the upstream hop, so the headers a browser keeps for itself
 * (Fetch's forbidden request-header names: Cookie, Host, Origin, Referer, Connection and the other
 * hop-by-hop fields, Sec-*, Proxy-*...) are not passed on, nor is anything the caller's
 * `Connection` header lists. Authorization and Cookie are kept aside for the target rule to decide.
 */
export function outgoingHeaders(input: ProxyInput): OutgoingHeaders {
  const connection = input.header('connection');
  const listed = connection === null ? [] : headerTokens(connection.toLowerCase());
  const common: HeaderPairs = [];
  for (const [name, value] of input.headers()) {
    if (CALLER_ONLY.has(name) || name.startsWith('x-forwarded-') || isForbiddenRequestHeader(name, value) || listed.includes(name)) continue;
    common.push([name, value]);
  }
  return { common, authorization: input.header('authorization'), cookie: input.header('cookie') };
}

/**
 * The headers of one hop. Credentials go only where the target rule allows them; the caller passes
 * no rule once a redirect has left the first target's origin. `keepBodyHeaders` is false once a
 * redirect has turned the request into a GET without its body.
 */
export function hopHeaders(outgoing: OutgoingHeaders, rule: AllowedTarget | undefined, keepBodyHeaders: boolean): HeaderPairs {
  const headers = keepBodyHeaders ? outgoing.common : outgoing.common.filter(([name]) => !BODY_HEADERS.has(name));
  if (!rule) return headers;
  const credentials: HeaderPairs = [];
  if (rule.forwardAuthorization && outgoing.authorization !== null) credentials.push(['authorization', outgoing.authorization]);
  if (rule.forwardCookie && outgoing.cookie !== null) credentials.push(['cookie', outgoing.cookie]);
  return credentials.length === 0 ? headers : [...headers, ...credentials];
}
