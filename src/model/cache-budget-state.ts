/**
 * One opaque-cache budget as the page sees it (crossroute/client `cacheBudgets()`). Plain data: it
 * crosses postMessage.
 */
export interface CacheBudgetState {
  /** The budget's name: the rule's `cacheName`, by default `crossroute-cache:<rule name>`. */
  name: string;
  /** The rule that keeps the budget. */
  rule: string;
  /** Entries held now. */
  entries: number;
  /** Quota bytes they are counted at (measured, opaque padding included). */
  bytes: number;
  /** Of those, the opaque entries: their bytes include the browser's padding, which cannot be told from the body. */
  opaqueEntries: number;
  /** Bytes the opaque (padded) entries are counted at. */
  opaqueBytes: number;
  /** The bounds in force. */
  limits: {
    /** Most entries. */
    maxEntries: number;
    /** Most quota bytes. */
    maxBytes: number;
    /** Oldest an entry may be. */
    maxAgeSeconds: number;
  };
}

/**
 * `type` of the page's question about the cache budgets; the worker answers on the message's port
 * with `{ budgets: CacheBudgetState[] }`.
 */
export const CACHE_BUDGET_MESSAGE = 'crossroute:cache-budgets';
