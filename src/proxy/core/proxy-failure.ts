/** What the proxy answers when it does not pass the target's response on; one code per cause. */
export type ProxyErrorCode =
  /** 400: the `url` parameter is missing or is not a proxyable absolute http(s) URL. */
  | 'malformed-url'
  /** 400: a diagnosis (`?diagnose`) whose JSON body or Origin cannot be diagnosed. */
  | 'malformed-diagnosis'
  /** 403: the request's Origin / Sec-Fetch-Site is not an allowed app. */
  | 'origin-not-allowed'
  /** 403: the request is a navigation or a worker: the proxy never serves a document or a worker. */
  | 'destination-not-allowed'
  /** 403: the target (or a redirect hop) is not in the allowlist. */
  | 'target-not-allowed'
  /** 403: the target's host is, or resolves to, a loopback, private, link-local... address. */
  | 'address-not-allowed'
  /** 403: the target's port is one the Fetch Standard blocks (SMTP, IRC...). */
  | 'port-not-allowed'
  /** 403: the `authorize` hook (or the CLI's --token) did not admit the caller. */
  | 'not-authorized'
  /** 405 */
  | 'method-not-allowed'
  /** 413 */
  | 'request-too-large'
  /** 500: a body parser mounted before the proxy has read the request body; the proxy refuses rather than send it empty. */
  | 'body-already-read'
  /** 503 (with Retry-After): options.maxInFlight exchanges are under way. */
  | 'proxy-busy'
  /** 502: the target could not be reached, or answered something the proxy will not pass on. */
  | 'upstream-failed'
  /** 502 */
  | 'too-many-redirects'
  /** 502 */
  | 'response-too-large'
  /** 504; in the log, also a body that stalled or outlived options.deadlineSeconds after the status went out. */
  | 'upstream-timeout'
  /** In the log only: the caller went away before the answer's body was delivered. */
  | 'caller-gone'
  /** 404: `?exchange=<id>` names no body cut in the last 60 s by this proxy process. */
  | 'exchange-unknown';

/**
 * A request the proxy refuses or cannot complete. Thrown anywhere on the way (options checks,
 * the address guard inside a connector, a body meter) and answered as JSON
 * `{ "error": code, "reason": text }`; the reason names the rule that refused and the way out.
 * `detail` is for options.log only: what the caller must not learn (a DNS answer, a connect error).
 */
export class ProxyFailure extends Error {
  /** Always "ProxyFailure". */
  override readonly name = 'ProxyFailure';

  constructor(
    /** Why the request failed. */
    readonly code: ProxyErrorCode,
    /** The HTTP status the proxy answers with. */
    readonly status: number,
    reason: string,
    /** For options.log only: what the caller must not learn (a DNS answer, a connect error). */
    readonly detail?: string,
  ) {
    super(reason);
  }

  /** The JSON body of the answer. */
  get body(): {
    /** The failure's code. */
    error: ProxyErrorCode;
    /** The failure's explanation. */
    reason: string;
  } {
    return { error: this.code, reason: this.message };
  }
}

/** The exchange's abort reason when its caller went away: nobody is left to answer, the log still says so. */
export const CALLER_GONE = new ProxyFailure('caller-gone', 499, 'the caller went away before the answer was delivered.');

/** The failure behind `error`: a ProxyFailure anywhere in its cause chain, else undefined. */
export function findFailure(error: unknown): ProxyFailure | undefined {
  for (let cause = error, depth = 0; cause !== undefined && depth < 8; depth++) {
    if (cause instanceof ProxyFailure) return cause;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return undefined;
}

/** Quotes untrusted input in a reason without letting it grow the answer. */
export function quote(value: string, max = 120): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}
