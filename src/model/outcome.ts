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
  | 'fallback';

/** The Fetch Standard's response types, as `Response.type` reports them. */
export type ResponseType = 'basic' | 'cors' | 'default' | 'error' | 'opaque' | 'opaqueredirect';

export interface Outcome {
  id: string;
  /** Epoch milliseconds when the request reached the service worker. */
  time: number;
  url: string;
  targetOrigin: string;
  method: string;
  mode: string;
  destination: string;
  /** Index of the rule that matched, in the order given to setup. */
  ruleIndex: number;
  policy: string;
  kind: OutcomeKind;
  /** Type of the response given to the page; null when none was (the page saw a network error). */
  responseType: ResponseType | null;
  /** HTTP status as seen by the service worker; 0 for opaque responses, null without a response. */
  status: number | null;
  durationMs: number;
  redirected: boolean;
  /** Human explanation: why it was blocked, why the policy failed, why CORS failed. */
  detail?: string;
  /** What a policy changed on the way (e.g. a downgrade to a CORS simple request). */
  changes?: string[];
}
