import { auditCorsUnsafeHeaders } from './cors-unsafe-names.js';
import { FetchSpecError } from './errors.js';
import { isForbiddenRequestHeader } from './forbidden-header.js';
import { type Header, toHeaderList } from './header-list.js';
import { isCorsSafelistedMethod, toRequestMethod } from './method.js';
import { noCorsDroppedHeaderNames } from './no-cors-headers.js';
import { isSameOrigin } from './origin.js';
import type { PreflightReason } from './reasons.js';
import { assertBodyAllowed, type RequestDescriptor } from './request.js';
import { parseUrl } from './url.js';

/** What the browser does with a request: cross-origin or not, simple or preflighted, and why. */
export interface RequestExplanation {
  /** Target origin differs from the client's (always true for an opaque origin). */
  readonly crossOrigin: boolean;
  /** The origin of the request's URL, serialized. */
  readonly targetOrigin: string;
  /** CORS simple request: safelisted method, no CORS-unsafe header, no stream body. */
  readonly simple: boolean;
  /** A cross-origin 'cors' request to an http(s) URL that is not simple. */
  readonly preflight: boolean;
  /** Empty exactly when simple. */
  readonly reasons: PreflightReason[];
  /** Forbidden request-headers: the browser ignores them when script sets them. */
  readonly ignoredForbidden: string[];
  /** Whether `mode: 'no-cors'` would be accepted (safelisted method, no stream body). */
  readonly noCorsAllowed: boolean;
  /** Headers that `mode: 'no-cors'` would silently drop (not no-CORS-safelisted). */
  readonly noCorsDropped: string[];
}

/**
 * Classify a request as fetch() would: which origin it targets, whether it is a CORS simple
 * request, and every reason it is not. Throws FetchSpecError where fetch() would throw.
 */
export function explainRequest(req: RequestDescriptor, clientOrigin?: string): RequestExplanation {
  const origin = clientOrigin ?? req.origin;
  if (origin === undefined) {
    throw new FetchSpecError(
      'missing-client-origin',
      'clientOrigin is missing: pass the requesting client origin (e.g. self.location.origin) or set req.origin',
    );
  }
  const method = toRequestMethod(req.method);
  const mode = req.mode ?? 'cors';
  const body = req.body ?? 'none';
  assertBodyAllowed(method, body);
  const target = parseUrl(req.url, 'url');
  const crossOrigin = !isSameOrigin(target.origin, origin);

  const headers: Header[] = [];
  const ignoredForbidden: string[] = [];
  for (const header of toHeaderList(req.headers)) {
    if (isForbiddenRequestHeader(header.name, header.value)) ignoredForbidden.push(header.name);
    else headers.push(header);
  }

  const reasons: PreflightReason[] = [];
  if (!isCorsSafelistedMethod(method)) {
    reasons.push({ code: 'method', method, message: `${method} is not a CORS-safelisted method (GET, HEAD, POST)` });
  }
  if (body === 'stream') {
    reasons.push({
      code: 'stream-body',
      message:
        "a ReadableStream body sets the use-CORS-preflight flag (and needs duplex: 'half'): read it into bytes to send a simple request",
    });
  }
  reasons.push(...auditCorsUnsafeHeaders(headers).reasons);

  const simple = reasons.length === 0;
  // Non-HTTP(S) URLs are never preflighted: a cross-origin one is a network error, data: is fetched as-is.
  const httpScheme = target.protocol === 'http:' || target.protocol === 'https:';
  return {
    crossOrigin,
    targetOrigin: target.origin,
    simple,
    preflight: crossOrigin && mode === 'cors' && httpScheme && !simple,
    reasons,
    ignoredForbidden,
    noCorsAllowed: isCorsSafelistedMethod(method) && body !== 'stream',
    noCorsDropped: noCorsDroppedHeaderNames(headers),
  };
}
