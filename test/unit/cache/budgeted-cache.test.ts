import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BudgetedCache } from '../../../src/sw/cache/budgeted-cache.js';
import { StorageMeter } from '../../../src/sw/cache/storage-meter.js';
import { fakeCacheStorage } from './fake-cache-storage.js';

/** A meter whose measurement waits for `release`: the store has put the response but not yet written its record. */
class GatedMeter extends StorageMeter {
  release!: () => void;
  private putDone!: () => void;
  /** Resolves once the response is in the cache. */
  readonly put = new Promise<void>((resolve) => (this.putDone = resolve));
  override async cost(write: () => Promise<void>, response: Response): Promise<number> {
    await write();
    this.putDone();
    await new Promise<void>((resolve) => (this.release = resolve));
    return this.expected(response);
  }
}

describe('BudgetedCache', () => {
  const saved = globalThis.caches;
  beforeEach(() => {
    globalThis.indexedDB = new IDBFactory();
    globalThis.caches = fakeCacheStorage();
  });
  afterEach(() => {
    globalThis.caches = saved;
  });

  it('a request that finds an entry whose store is still under way sees it as just stored, not of unknown age', async () => {
    const meter = new GatedMeter(1000, false);
    const cache = new BudgetedCache({
      name: 'assets',
      cacheNames: ['assets'],
      budget: { maxEntries: 10, maxAgeSeconds: 3600, maxBytes: 1e9 },
      meter,
      onEvict: () => undefined,
    });
    const before = Date.now();
    const storing = cache.store('assets', 'https://cdn.test/a.png', new Response('png'));
    await meter.put;
    const during = await cache.match('assets', 'https://cdn.test/a.png');
    expect(during?.record.storedAt).toBeGreaterThanOrEqual(before);
    meter.release();
    await storing;
    expect((await cache.recordOf('assets', 'https://cdn.test/a.png'))?.storedAt).toBeGreaterThanOrEqual(before);
  });
});
