import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { beforeEach, describe, expect, it } from 'vitest';
import { CACHE_DB_NAME, openCacheDatabase } from '../../../src/sw/cache/cache-database.js';
import { Outbox } from '../../../src/sw/outbox/outbox.js';
import { openOutboxDatabase } from '../../../src/sw/outbox/outbox-database.js';
import { makeEntry } from '../outbox/make-entry.js';

const LIMITS = { maxEntries: 100, maxBytes: 1_000_000 };

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

/** What app code on a page does when it opens a name before any worker has: an empty version 1. */
async function openedFirstByPage(name: string): Promise<void> {
  (await openDB(name, 1)).close();
}

async function storesAndVersion(name: string): Promise<{ version: number; stores: string[] }> {
  const db = await openDB(name);
  const found = { version: db.version, stores: [...db.objectStoreNames].sort() };
  db.close();
  return found;
}

describe('the worker-side databases are repaired when a page created them first', () => {
  it('the beacon outbox: an empty version 1 gets its stores (version 2), and beacons are kept', async () => {
    await openedFirstByPage('crossroute-outbox');
    const outbox = new Outbox();
    const entry = makeEntry();
    await outbox.add(entry, LIMITS);
    expect(await storesAndVersion('crossroute-outbox')).toEqual({ version: 2, stores: ['beacons', 'counters', 'origins'] });
    expect(await new Outbox().state(LIMITS)).toMatchObject({ entries: 1, bytes: entry.bytes });
  });

  it('the cache metadata: an empty version 1 gets its store (version 2)', async () => {
    await openedFirstByPage(CACHE_DB_NAME);
    const db = await openCacheDatabase(() => undefined);
    await db.put('entries', { cacheName: 'c', url: 'https://cdn.test/a.png', budget: 'c', storedAt: 1, lastUsed: 1, size: 1, opaque: true });
    db.close();
    expect(await storesAndVersion(CACHE_DB_NAME)).toEqual({ version: 2, stores: ['entries'] });
  });

  it('a database with its schema is opened as it is: no upgrade, nothing lost', async () => {
    const first = await openOutboxDatabase('crossroute-outbox', () => undefined);
    await first.put('origins', { origin: 'https://a.test', failures: 2, retryAt: 5, cors: null });
    first.close();
    const again = await openOutboxDatabase('crossroute-outbox', () => undefined);
    expect(again.version).toBe(1);
    expect(await again.get('origins', 'https://a.test')).toMatchObject({ failures: 2 });
    again.close();
  });

  it('a newer context asking to upgrade closes this connection and says so', async () => {
    let closed = 0;
    const db = await openCacheDatabase(() => closed++);
    (await openDB(CACHE_DB_NAME, db.version + 1)).close();
    expect(closed).toBe(1);
  });
});
