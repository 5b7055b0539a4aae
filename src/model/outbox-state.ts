/**
 * The beacon outbox as the page sees it (crossroute/client `outboxState()`), and the messages the
 * page and the worker exchange about it. Plain data: it crosses postMessage.
 */
export interface OutboxState {
  /** Beacons waiting, including those being sent right now. */
  entries: number;
  /** What they hold: body bytes plus URL length. */
  bytes: number;
  /** Epoch ms when the oldest waiting beacon was queued; null when the outbox is empty. */
  oldestQueuedAt: number | null;
  /** Origins whose last send failed on the network, and when the worker tries them again. */
  unreachable: Array<{
    /** The origin that did not answer. */
    origin: string;
    /** Failed sends in a row. */
    failures: number;
    /** Epoch ms of the next attempt. */
    retryAt: number;
  }>;
  /** Counters since the outbox database was created. */
  totals: OutboxTotals;
  /** The bounds in force (the smallest any beacon rule asked for). */
  limits: {
    /** Most beacons the outbox holds. */
    maxEntries: number;
    /** Most bytes they may hold together. */
    maxBytes: number;
  };
  /** The worker that answered is sending (or about to send) right now. */
  draining: boolean;
}

/** Counters of what happened to beacons in the outbox. */
export interface OutboxTotals {
  /** Beacons stored. */
  queued: number;
  /** Beacons that reached their origin. */
  delivered: number;
  /** Sends that failed and were scheduled again. */
  retried: number;
  /** Given up: refused by the origin, out of attempts, or too old. */
  dropped: number;
  /** Removed, oldest first, to make room when the outbox was full. */
  evicted: number;
}

/** `type` of the messages a page posts to the worker about the outbox. */
export const OUTBOX_MESSAGE = {
  /** Answered on the message's port with an OutboxState. */
  state: 'crossroute:outbox-state',
  /**
   * Deliver now (`{ type, trigger: 'online' | 'page' }`): the page came back online (the worker gets
   * no `online` event of its own), became visible, probes while beacons wait, or its code asked.
   * Answered on the message's port, if any, with a DeliveryReport once that drain is over.
   */
  deliver: 'crossroute:deliver',
  /** Removes waiting beacons (`{ type, origin? }`: all, or one origin's); answered with `{ cleared }`. */
  clear: 'crossroute:outbox-clear',
  /** Posted by the worker to the pages it controls: beacons wait for an unreachable origin. */
  waiting: 'crossroute:outbox-waiting',
} as const;

/** What one drain did, as deliverNow() reports it. */
export interface DeliveryReport {
  /** What the drain was named after (several asks during one drain share the next). */
  trigger: string;
  /** Beacons that reached their origin in this drain. */
  delivered: number;
  /** Sends that failed and were scheduled again. */
  retried: number;
  /** Beacons given up in this drain. */
  dropped: number;
  /** Origins that failed on the network: their beacons still wait. */
  unreachable: string[];
  /** Why the drain stopped early, if it did. */
  error?: string;
}

/** What one keepalive request (and sendBeacon) may carry in flight, in bytes (Fetch's keepalive limit). */
// A literal (64 KiB), not 64 * 1024: bundlers keep an unused product, as if it could have effects.
export const KEEPALIVE_BUDGET = 65_536;

/**
 * Header of the synthetic answer to a queued beacon, exposed to cors-mode page requests; the value
 * is the beacon's id.
 */
export const BEACON_ID_HEADER = 'x-crossroute-beacon-id';
