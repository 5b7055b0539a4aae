import type { ProxyErrorCode } from './proxy-failure.js';

/** One entry of the allowlist, with what the proxy may forward to it. */
export interface TargetRule {
  /**
   * `https://api.example.com`, `http://127.0.0.1:8080` (default ports may be omitted) or
   * `https://*.example.com` (every subdomain depth, not example.com itself; same scheme and port).
   */
  origin: string;
  /** Forward the caller's `Authorization` header to this target (same-origin hops only); default false. */
  forwardAuthorization?: boolean;
  /** Forward the caller's `Cookie` header to this target (same-origin hops only); default false. */
  forwardCookie?: boolean;
}

/** One request, handed to `options.log` once its answer's body has been delivered or has failed. */
export interface ProxyLogEntry {
  /** The request's method. */
  method: string;
  /** The `url` parameter as received; null when absent. */
  target: string | null;
  /** The request's Origin header, as received. */
  origin: string | null;
  /** The request's Sec-Fetch-Site header, as received. */
  fetchSite: string | null;
  /** What the proxy answered. */
  status: number;
  /** The target's status (last hop); null when no hop answered. */
  upstreamStatus: number | null;
  /** Redirects followed. */
  redirects: number;
  /**
   * The refusal or failure code: the proxy's own error answer, or a body that failed after the
   * status went out (`response-too-large`, `upstream-timeout`, `upstream-failed`, `caller-gone`).
   */
  error?: ProxyErrorCode;
  /** Why, in full: unlike the answer's reason, it may name internal DNS answers and connect errors. */
  reason?: string;
  /** Milliseconds from the request to the answer's last byte (or its failure): a measurement, so in ms, unlike the options. */
  durationMs: number;
}

/**
 * The proxy's policy. Closed by default: without `allow` (or an explicit `allowAnyTarget: true`)
 * it does not start, and only same-origin callers and `appOrigins` are served.
 */
export interface ProxyOptions {
  /** Targets the proxy may reach: origin patterns, or rules with per-target forwarding. */
  allow?: ReadonlyArray<string | TargetRule>;
  /**
   * Proxy to any public http(s) target. The address guard still applies. Must be set explicitly:
   * an empty allowlist is a startup error otherwise.
   */
  allowAnyTarget?: boolean;
  /**
   * Cross-origin pages allowed to call the proxy (exact origins, checked against `Origin`). Callers
   * on the proxy's own origin are recognised by `Sec-Fetch-Site: same-origin` and need no entry.
   * `"null"` admits opaque origins (sandboxed documents, and requests redirected cross-origin,
   * as the service worker's redirect mode does); any site can send it, so only add it knowingly.
   */
  appOrigins?: readonly string[];
  /** Default GET, HEAD, POST, PUT, PATCH, DELETE. OPTIONS is the proxy's own CORS preflight answer. */
  methods?: readonly string[];
  /** Largest request body passed on; default 1 MiB. */
  maxRequestBytes?: number;
  /** Largest response body passed back; default 32 MiB. */
  maxResponseBytes?: number;
  /** Seconds the target has to answer (all redirect hops together), and the longest pause inside its body; default 10. */
  timeoutSeconds?: number;
  /**
   * Seconds one exchange may take in all, reading the request body, every hop and passing the whole
   * answer's body included; past it the exchange is cut (504, or a cut body once the status is out). Default 60.
   */
  deadlineSeconds?: number;
  /** Exchanges under way at once (each holds at most one upstream connection); past it, 503 `proxy-busy` with Retry-After. Default 256. */
  maxInFlight?: number;
  /**
   * Target response headers passed back beside the built-in allowlist (Content-Type, -Length,
   * -Language, -Range, -Disposition, -Encoding, ETag, Last-Modified, Accept-Ranges, Date, Expires,
   * Retry-After, Cache-Control, Age), e.g. an API's rate-limit headers. Headers the proxy decides
   * (CORS, Vary, nosniff, CSP, Set-Cookie, x-crossroute-*) cannot be listed.
   */
  exposeHeaders?: readonly string[];
  /** Redirects followed, each hop checked like the first; default 5; 0 answers any redirect with 502. */
  maxRedirects?: number;
  /**
   * TESTS ONLY: loopback socket addresses (`127.0.0.1:8788`, `[::1]:8788`) exempt from the address
   * guard, so tests can proxy to a local server. Only loopback addresses with a port are accepted,
   * and nothing in a request can change it.
   */
  admitLoopbackForTests?: readonly string[];
  /** Called once per request (not per hop), after its answer's body was delivered or failed, e.g. for access logs and metrics. */
  log?: (entry: ProxyLogEntry) => void;
}
