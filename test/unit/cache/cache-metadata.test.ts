import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { CACHE_DB_NAME, openCacheDatabase, type CacheDatabase } from '../../../src/sw/cache/cache-database.js';
import type { CacheEntryRecord } from '../../../src/sw/cache/cache-entry.js';
import { CacheMetadata } from '../../../src/sw/cache/cache-metadata.js';

const record = (url: string, fields: Partial<CacheEntryRecord> = {}): CacheEntryRecord => ({
  cacheName: 'assets:no-cors',
  url,
  budget: 'assets',
  storedAt: 1000,
  lastUsed: 1000,
  size: 7_000_000,
  opaque: true,
  ...fields,
});

describe('CacheMetadata (IndexedDB through fake-indexeddb)', () => {
  const opened: CacheDatabase[] = [];
  const database = async (): Promise<CacheDatabase> => {
    const db = await openCacheDatabase(() => undefined);
    opened.push(db);
    return db;
  };
  afterEach(async () => {
    for (const db of opened.splice(0)) db.close();
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(CACHE_DB_NAME);
      request.onsuccess = request.onerror = () => resolve();
    });
  });

  it('keeps records across instances (a worker restart), per budget', async () => {
    const first = new CacheMetadata('assets', database);
    await first.put(record('https://cdn.test/a.png'));
    await first.put(record('https://cdn.test/b.png', { cacheName: 'assets:cors', opaque: false, size: 498 }));
    await new CacheMetadata('fonts', database).put(record('https://cdn.test/f.ttf', { budget: 'fonts', cacheName: 'fonts:cors' }));

    const restarted = new CacheMetadata('assets', database);
    await restarted.load();
    expect(restarted.all().map((r) => r.url).sort()).toEqual(['https://cdn.test/a.png', 'https://cdn.test/b.png']);
    expect(restarted.get('assets:cors', 'https://cdn.test/b.png')).toMatchObject({ size: 498, opaque: false });
    expect(restarted.get('assets:no-cors', 'https://cdn.test/b.png')).toBeUndefined();
  });

  it('touch moves an entry to the end of the LRU order, also after a restart', async () => {
    const metadata = new CacheMetadata('assets', database);
    await metadata.put(record('https://cdn.test/a.png', { lastUsed: metadata.tick() }));
    await metadata.put(record('https://cdn.test/b.png', { lastUsed: metadata.tick() }));
    await metadata.touch(metadata.get('assets:no-cors', 'https://cdn.test/a.png')!);

    const restarted = new CacheMetadata('assets', database);
    await restarted.load();
    const order = restarted.all().sort((x, y) => x.lastUsed - y.lastUsed).map((r) => r.url);
    expect(order).toEqual(['https://cdn.test/b.png', 'https://cdn.test/a.png']);
    // The clock resumes after the newest use it read back.
    expect(restarted.tick()).toBeGreaterThan(restarted.get('assets:no-cors', 'https://cdn.test/a.png')!.lastUsed);
  });

  it('ticks strictly upwards, even within one millisecond', () => {
    const metadata = new CacheMetadata('assets', database);
    const ticks = Array.from({ length: 50 }, () => metadata.tick());
    expect(new Set(ticks).size).toBe(50);
    expect([...ticks].sort((a, b) => a - b)).toEqual(ticks);
  });

  it('deletes a record in memory and in the database', async () => {
    const metadata = new CacheMetadata('assets', database);
    await metadata.put(record('https://cdn.test/a.png'));
    await metadata.delete(record('https://cdn.test/a.png'));
    expect(metadata.all()).toEqual([]);
    const restarted = new CacheMetadata('assets', database);
    await restarted.load();
    expect(restarted.all()).toEqual([]);
  });

  it('goes on from memory when IndexedDB is unavailable', async () => {
    const metadata = new CacheMetadata('assets', () => Promise.reject(new DOMException('IndexedDB broken on purpose', 'UnknownError')));
    await metadata.load();
    await metadata.put(record('https://cdn.test/a.png'));
    expect(metadata.get('assets:no-cors', 'https://cdn.test/a.png')).toMatchObject({ size: 7_000_000 });
    await metadata.delete(record('https://cdn.test/a.png'));
    expect(metadata.all()).toEqual([]);
  });
});
