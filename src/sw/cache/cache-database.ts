import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { CacheEntryRecord } from './cache-entry.js';

/**
 * crossroute's cache metadata lives in its own database, apart from the outcome log's and the
 * beacon outbox's: each is versioned on its own, and a failure in one never blocks the others.
 */
export const CACHE_DB_NAME = 'crossroute-cache';
const CACHE_DB_VERSION = 1;

export interface CacheSchema extends DBSchema {
  entries: {
    key: [string, string];
    value: CacheEntryRecord;
    indexes: { budget: string };
  };
}

export type CacheDatabase = IDBPDatabase<CacheSchema>;

/**
 * Opens (and creates) the database. `closed` is called when the connection ends: closed here
 * because another context needs to upgrade, or by the browser (site data cleared).
 */
export function openCacheDatabase(closed: () => void): Promise<CacheDatabase> {
  return openDB<CacheSchema>(CACHE_DB_NAME, CACHE_DB_VERSION, {
    upgrade(db) {
      db.createObjectStore('entries', { keyPath: ['cacheName', 'url'] }).createIndex('budget', 'budget');
    },
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
      closed();
    },
    terminated: closed,
  });
}
