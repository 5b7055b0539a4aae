/** The limits one budget keeps its entries within; an entry over any of them is evicted. */
export interface CacheBudget {
  maxEntries: number;
  /** Age since the entry was stored; older entries are never served. */
  maxAgeSeconds: number;
  /** Quota bytes, opaque padding included. */
  maxBytes: number;
}

/** An entry to remove, and why (said in the eviction's outcome). */
export interface Eviction<Entry> {
  record: Entry;
  reason: string;
}
