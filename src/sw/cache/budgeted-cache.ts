import type { CacheBudgetState } from '../../model/cache-budget-state.js';
import { messageOf } from '../errors.js';
import type { CacheBudget } from './cache-budget.js';
import { entryKey, type CacheEntryRecord } from './cache-entry.js';
import { CacheMetadata } from './cache-metadata.js';
import { overBudget } from './over-budget.js';
import { isQuotaExceeded } from './quota-exceeded.js';
import { roomFor } from './room-for.js';
import { SerialQueue } from './serial-queue.js';
import type { StorageMeter } from './storage-meter.js';

export interface BudgetedCacheOptions {
  /** The budget's name, in its records. */
  name: string;
  /** The Cache Storage caches whose entries count against the budget. */
  cacheNames: readonly string[];
  budget: CacheBudget;
  meter: StorageMeter;
  /** Told about every entry removed to keep the budget, after it is gone. */
  onEvict(record: CacheEntryRecord, reason: string): void | Promise<void>;
}

export interface CachedEntry {
  response: Response;
  record: CacheEntryRecord;
}

// One queue for every budget in the worker: storage estimates are per origin, so two writes
// measured at once would count each other's bytes.
const writes = /* @__PURE__ */ new SerialQueue();

/**
 * Cache Storage kept inside a budget: every entry has a record (time, size, last use), each store
 * is measured and followed by LRU eviction, and a QuotaExceededError frees room and retries once.
 */
export class BudgetedCache {
  #loaded: Promise<void> | undefined;
  /** Records of stores under way: their response may already be in the cache before their record is written. */
  readonly #storing = new Map<string, CacheEntryRecord>();
  readonly #options: BudgetedCacheOptions;
  readonly #metadata: CacheMetadata;

  constructor(
    options: BudgetedCacheOptions,
    metadata = new CacheMetadata(options.name),
  ) {
    this.#options = options;
    this.#metadata = metadata;
  }

  /** The stored response and its record; undefined when there is none, or it is older than maxAgeSeconds. */
  async match(cacheName: string, url: string): Promise<CachedEntry | undefined> {
    await this.#ready();
    // One round trip to the browser's cache backend, where open() then match() takes two.
    const response = await caches.match(url, { cacheName });
    if (!response) return undefined;
    const record = this.#metadata.get(cacheName, url) ?? this.#storing.get(entryKey(cacheName, url)) ?? (await this.#adopt(cacheName, url, response));
    if (record.storedAt > 0 && Date.now() - record.storedAt > this.#options.budget.maxAgeSeconds * 1000) return undefined;
    return { response, record };
  }

  /** The record of an entry, without reading the response. */
  async recordOf(cacheName: string, url: string): Promise<CacheEntryRecord | undefined> {
    await this.#ready();
    return this.#metadata.get(cacheName, url);
  }

  /** What the budget holds now, for the page (see reportBudget). */
  async state(rule: string): Promise<CacheBudgetState> {
    await this.#ready();
    const { name, budget } = this.#options;
    const state = { name, rule, entries: 0, bytes: 0, opaqueEntries: 0, opaqueBytes: 0, limits: { ...budget } };
    for (const { size, opaque } of this.#metadata.all()) {
      state.entries++;
      state.bytes += size;
      if (opaque) {
        state.opaqueEntries++;
        state.opaqueBytes += size;
      }
    }
    return state;
  }

  /** Marks an entry as just served: the LRU order. */
  touch(record: CacheEntryRecord): Promise<void> {
    return this.#metadata.touch(record);
  }

  /**
   * Stores the response (in the background: callers hand the promise to waitUntil), then evicts
   * what no longer fits. Rejects only when the response could not be stored, even after making room.
   */
  store(cacheName: string, url: string, response: Response): Promise<void> {
    const key = entryKey(cacheName, url);
    const opaque = response.type === 'opaque';
    // A request for the same URL while this store runs sees a fresh entry, not one of unknown age.
    const provisional = { cacheName, url, budget: this.#options.name, storedAt: Date.now(), lastUsed: 0, size: this.#options.meter.expected(response), opaque };
    this.#storing.set(key, provisional);
    return writes
      .run(async () => {
        await this.#ready();
        const size = await this.#put(await caches.open(cacheName), cacheName, url, response);
        const now = Date.now();
        await this.#metadata.put({ cacheName, url, budget: this.#options.name, storedAt: now, lastUsed: this.#metadata.tick(), size, opaque });
        for (const { record, reason } of overBudget(this.#metadata.all(), this.#options.budget, now)) await this.#evict(record, reason);
      })
      .finally(() => {
        if (this.#storing.get(key) === provisional) this.#storing.delete(key);
      });
  }

  async #put(cache: Cache, cacheName: string, url: string, response: Response): Promise<number> {
    // A failed put may have consumed the body; the retry needs its own.
    const spare = response.clone();
    try {
      return await this.#measuredPut(cache, cacheName, url, response);
    } catch (error) {
      if (!isQuotaExceeded(error)) throw error;
      for (const record of roomFor(this.#metadata.all(), this.#options.meter.expected(spare))) {
        await this.#evict(record, `room for a new entry after ${messageOf(error)}`);
      }
      return this.#measuredPut(cache, cacheName, url, spare);
    }
  }

  #measuredPut(cache: Cache, cacheName: string, url: string, response: Response): Promise<number> {
    const replaced = this.#metadata.get(cacheName, url)?.size ?? 0;
    return this.#options.meter.cost(() => cache.put(url, response), response, replaced);
  }

  async #evict(record: CacheEntryRecord, reason: string): Promise<void> {
    await (await caches.open(record.cacheName)).delete(record.url);
    await this.#metadata.delete(record);
    await this.#options.onEvict(record, reason);
  }

  #ready(): Promise<void> {
    this.#loaded ??= this.#load().catch((error: unknown) => {
      this.#loaded = undefined;
      throw error;
    });
    return this.#loaded;
  }

  /**
   * Loads the records and squares them with what the caches hold: a record whose response is gone
   * is dropped; a response without a record (its metadata was lost) is adopted, of unknown age.
   */
  async #load(): Promise<void> {
    await this.#metadata.load();
    for (const cacheName of this.#options.cacheNames) {
      const cache = await caches.open(cacheName);
      const urls = new Set((await cache.keys()).map((request) => request.url));
      for (const record of this.#metadata.all()) {
        if (record.cacheName === cacheName && !urls.has(record.url)) await this.#metadata.delete(record);
      }
      for (const url of urls) {
        const response = this.#metadata.get(cacheName, url) ? undefined : await cache.match(url);
        if (response) await this.#adopt(cacheName, url, response);
      }
    }
  }

  /** A record for an entry found without one: unknown age (so it is revalidated), first in LRU order. */
  async #adopt(cacheName: string, url: string, response: Response): Promise<CacheEntryRecord> {
    const record = { cacheName, url, budget: this.#options.name, storedAt: 0, lastUsed: 0, size: this.#options.meter.expected(response), opaque: response.type === 'opaque' };
    await this.#metadata.put(record);
    return record;
  }
}
