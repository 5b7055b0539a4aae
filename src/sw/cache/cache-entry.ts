/**
 * What crossroute knows about one cached response beside the response itself: Cache Storage keeps
 * no time, and an opaque response shows neither its status nor its size.
 */
export interface CacheEntryRecord {
  /** The Cache Storage cache that holds the response; one budget may span several caches. */
  cacheName: string;
  url: string;
  /** The budget the entry counts against. */
  budget: string;
  /** Epoch ms when the response was stored; 0 when unknown (an entry found without its record). */
  storedAt: number;
  /** When the entry was last stored or served: the LRU order (strictly increasing within a worker). */
  lastUsed: number;
  /** Bytes the entry takes in the origin's storage quota, padding included: measured or estimated. */
  size: number;
  /** An opaque response: its status is hidden, so it is revalidated after a TTL. */
  opaque: boolean;
}

/** One key per entry across caches: the records' in-memory index. */
export function entryKey(cacheName: string, url: string): string {
  return `${cacheName}\n${url}`;
}
