/**
 * How a beacon is sent. `no-cors`: an opaque answer means the browser delivered it. `cors`: the
 * status is read (2xx delivered; 408, 429, 5xx retried; other 4xx dropped). `auto`: cors for
 * requests the page sent as simple requests to an origin not known to refuse CORS, else no-cors.
 */
export type DeliveryMode = 'no-cors' | 'cors' | 'auto';

/** Retry settings, copied into each entry so a later worker version delivers it as it was queued. */
export interface RetrySettings {
  /** Sends the origin answered with a retryable failure before the beacon is dropped; outages do not count. */
  maxAttempts: number;
  /** Age after which an undelivered beacon is dropped. */
  maxAgeMs: number;
  /** First backoff delay; it doubles per failure, with jitter, up to backoffMaxMs. */
  backoffMs: number;
  backoffMaxMs: number;
}

export interface BatchSettings {
  /** Beacons with equal keys (endpoint, format, delivery, credentials) may share one request. */
  key: string;
  /** A name in the batch-format registry. */
  format: string;
  /** The URL before the id parameter was added: what a batch is sent to. */
  endpoint: string;
  maxEntries: number;
  /** Body bytes of one batch request; at most 64 KiB, the keepalive budget. */
  maxBytes: number;
}

/** One queued beacon, as stored in the outbox database. */
export interface OutboxEntry {
  /** A UUID; sent in the `idParam` query parameter when the rule names one, for de-duplication. */
  id: string;
  /** What is sent: the request's URL with the id parameter. */
  url: string;
  origin: string;
  method: 'GET' | 'HEAD' | 'POST';
  /** Already a CORS simple request's headers (toSimpleRequest). */
  headers: Array<[string, string]>;
  body: ArrayBuffer | null;
  credentials: RequestCredentials;
  delivery: DeliveryMode;
  /** The request was a CORS simple request as the page sent it (auto may then use cors). */
  simple: boolean;
  /** The page request's destination ('' for fetch and sendBeacon, 'image' for a pixel). */
  destination: string;
  /** The query parameter that carries the id, or null. */
  idParam: string | null;
  queuedAt: number;
  expiresAt: number;
  /**
   * When the entry may be sent next. A claim (lease) moves it forward by the lease time, so an entry
   * being sent is not due for anyone else, and becomes due again if its sender dies.
   */
  nextAttemptAt: number;
  /**
   * Set while a drain holds the entry: the drainer instance (a worker's lifetime) that leased it, and
   * the nextAttemptAt the entry had before. A lease whose holder is gone is released at the next claim.
   */
  lease?: Lease;
  /** Answered failures so far (counted against maxAttempts). */
  attempts: number;
  /** Every send, outages included. */
  sends: number;
  /** Body bytes plus URL length: what counts against the outbox's maxBytes. */
  bytes: number;
  retry: RetrySettings;
  batch: BatchSettings | null;
  rule: { index: number; name: string };
}

export interface Lease {
  /** The holder's id; null when it could not take a Web Lock, so only the lease's time can end it. */
  holder: string | null;
  due: number;
}

/** What the outbox knows about an origin, shared by all its entries. */
export interface OriginState {
  origin: string;
  /** Consecutive sends that failed on the network; 0 when the origin is reachable. */
  failures: number;
  /** While unreachable, the timer does not try the origin before this time. */
  retryAt: number;
  /** Learned by auto delivery: true when a cors send was readable, false when the origin refused CORS. */
  cors: boolean | null;
}

/** Bounds of the whole outbox; when a new beacon does not fit, the oldest entries are evicted. */
export interface OutboxLimits {
  maxEntries: number;
  maxBytes: number;
}
