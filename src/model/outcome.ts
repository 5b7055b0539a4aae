/**
 * What happened to one request crossroute handled. Shared by the service worker (writes),
 * the page (reads) and tools; plain data only, so it survives structured clone and JSON.
 */
export type OutcomeKind =
  /** A readable response (basic or cors) with a status below 400. */
  | 'ok'
  /** A no-cors response: delivered, but status and body are hidden from script. */
  | 'opaque'
  /** A redirect answered as-is because the request's redirect mode was "manual". */
  | 'opaque-redirect'
  /** A readable response with status 400 or above. */
  | 'http-error'
  /** The network failed (offline, refused, DNS) or the failure could not be told apart from one. */
  | 'network-error'
  /** The origin answered, but the CORS check (or its preflight) failed. */
  | 'cors-blocked'
  /** A rule answered with a synthetic refusal. */
  | 'blocked'
  /** The policy failed; the request went to the network untouched (fail open). */
  | 'fallback'
  /** Answered from Cache Storage (opaque-cache); `detail` says fresh or stale, opaque or readable. */
  | 'cache-hit'
  /** Answered from the network and stored: nothing usable was cached (or the strategy asks the network first). */
  | 'cache-miss'
  /** A cached entry was fetched again and replaced: past its TTL, or in the background (stale-while-revalidate). */
  | 'revalidated'
  /** A cache entry was removed to keep its budget (entries, age, bytes) or to make room after a quota error. */
  | 'evicted'
  /** A response was not stored: not 2xx, a redirect, partial, or the store failed even after making room. */
  | 'cache-refused'
  /** A beacon was stored in the outbox and the page got a synthetic answer; delivery follows. */
  | 'queued'
  /** A queued beacon reached its origin (an opaque answer in no-cors mode, below 400 in cors mode). */
  | 'delivered'
  /** A beacon's send failed (network, 5xx, 408, 429); it stays in the outbox for a later attempt. */
  | 'retry'
  /** A beacon left the outbox undelivered: refused (4xx), out of attempts or age, or evicted by the outbox bounds. */
  | 'dropped'
  /** The app's proxy answered with its own error (target or origin refused, upstream failed or timed out), or cut the answer's body after its status; `detail` has the code. */
  | 'proxy-error'
  /** Answered with a redirect to the app's proxy; the browser fetches the target through it, out of the worker's sight. */
  | 'proxy-redirect';

/**
 * Whether each kind counts as a success in summaries. A Record over every kind, so a new kind does
 * not compile until someone decides this.
 */
export const OUTCOME_KIND_SUCCEEDED: Readonly<Record<OutcomeKind, boolean>> = {
  ok: true,
  opaque: true,
  'opaque-redirect': true,
  'http-error': false,
  'network-error': false,
  'cors-blocked': false,
  blocked: false,
  fallback: false,
  'cache-hit': true,
  'cache-miss': true,
  revalidated: true,
  evicted: true,
  'cache-refused': false,
  queued: true,
  delivered: true,
  retry: false,
  dropped: false,
  'proxy-error': false,
  'proxy-redirect': true,
};

/** The Fetch Standard's response types, as `Response.type` reports them. */
export type ResponseType = 'basic' | 'cors' | 'default' | 'error' | 'opaque' | 'opaqueredirect';

/** One request crossroute handled: which rule and policy, what came of it, how long it took. */
export interface Outcome {
  /** Unique per outcome (a random UUID). */
  id: string;
  /** Epoch milliseconds when the request reached the service worker. */
  time: number;
  /** The request's URL. */
  url: string;
  /** The origin of the request's URL. */
  targetOrigin: string;
  /** The request's method. */
  method: string;
  /** The request's mode (`cors`, `no-cors`, `same-origin`, `navigate`). */
  mode: string;
  /** The request's destination (`image`, `script`, …; `''` for fetch() and XHR). */
  destination: string;
  /** Index of the rule that matched, in the order given to setup. */
  ruleIndex: number;
  /** Name of the policy that handled the request. */
  policy: string;
  /** What came of the request. */
  kind: OutcomeKind;
  /** Type of the response given to the page; null when none was (the page saw a network error). */
  responseType: ResponseType | null;
  /** HTTP status as seen by the service worker; 0 for opaque responses, null without a response. */
  status: number | null;
  /** How long handling took, in milliseconds. */
  durationMs: number;
  /** Whether the response came after a redirect (`Response.redirected`); false without one. */
  redirected: boolean;
  /** Human explanation: why it was blocked, why the policy failed, why CORS failed. */
  detail?: string;
  /** What a policy changed on the way (e.g. a downgrade to a CORS simple request). */
  changes?: string[];
  /**
   * Why the browser refused a CORS request, as MDN's list of CORS errors names it
   * (`CORSMissingAllowOrigin`, `CORSPreflightDidNotSucceed`…): from the proxy's diagnosis (the
   * rule's `diagnose` option), or from what crossroute knows of the origin.
   */
  reason?: string;
  /** The change on the server (or in the page) that makes the request pass, in words. */
  fix?: string;
  /** Redirects followed before the answer, where the policy counts them (proxy: the proxy's hops to the target). */
  redirects?: number;
  /** The target's own status behind the app's proxy (the outcome's `status` is the proxy's answer). */
  upstreamStatus?: number;
  /** The beacon's id in the outbox (beacon outcomes: queued, delivered, retry, dropped). */
  beaconId?: string;
}
