import { messageOf } from '../errors.js';
import { logger } from '../logger.js';
import { entryKey, type CacheEntryRecord } from './cache-entry.js';
import { openCacheDatabase, type CacheDatabase } from './cache-database.js';
import { sharedConnection } from '../storage/shared-connection.js';

/**
 * One budget's entry records: kept in memory, so a cache hit checks freshness without a database
 * round trip, and written through to IndexedDB, so they outlive the worker. When IndexedDB fails
 * (unavailable, broken, full) the records live in memory only: the budget still holds for this
 * worker's lifetime, and caching goes on.
 */
export class CacheMetadata {
  readonly #records = new Map<string, CacheEntryRecord>();
  #clock = 0;
  readonly #budget: string;
  readonly #database: () => Promise<CacheDatabase | undefined>;

  constructor(
    budget: string,
    database: () => Promise<CacheDatabase | undefined> = sharedDatabase,
  ) {
    this.#budget = budget;
    this.#database = database;
  }

  /** Reads this budget's records from IndexedDB (none when it is unavailable). */
  async load(): Promise<void> {
    const stored = await this.#attempt('read', async (db) => db.getAllFromIndex('entries', 'budget', this.#budget));
    for (const record of stored ?? []) {
      this.#records.set(entryKey(record.cacheName, record.url), record);
      this.#clock = Math.max(this.#clock, record.lastUsed);
    }
  }

  get(cacheName: string, url: string): CacheEntryRecord | undefined {
    return this.#records.get(entryKey(cacheName, url));
  }

  all(): CacheEntryRecord[] {
    return [...this.#records.values()];
  }

  /** A use time later than every other: two uses within one millisecond keep their order. */
  tick(): number {
    this.#clock = Math.max(Date.now(), this.#clock + 1);
    return this.#clock;
  }

  put(record: CacheEntryRecord): Promise<void> {
    this.#records.set(entryKey(record.cacheName, record.url), record);
    return this.#attempt('write', async (db) => void (await db.put('entries', record)));
  }

  /** Marks the entry as just used (the LRU order). */
  touch(record: CacheEntryRecord): Promise<void> {
    return this.put({ ...record, lastUsed: this.tick() });
  }

  delete(record: CacheEntryRecord): Promise<void> {
    this.#records.delete(entryKey(record.cacheName, record.url));
    return this.#attempt('delete', (db) => db.delete('entries', [record.cacheName, record.url]));
  }

  async #attempt<T>(what: string, work: (db: CacheDatabase) => Promise<T>): Promise<T | undefined> {
    try {
      const db = await this.#database();
      return db ? await work(db) : undefined;
    } catch (error) {
      if (process.env.NODE_ENV !== 'production') logger.warn(`cache metadata ${what} failed; the budget goes on from memory: ${messageOf(error)}`);
      return undefined;
    }
  }
}

/**
 * One connection per worker, opened again after it closes; a failed open is not retried before the
 * worker restarts (the records then live in memory).
 */
const sharedDatabase = /* @__PURE__ */ sharedConnection(openCacheDatabase, 'cache metadata');
