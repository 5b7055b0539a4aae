import type { DBSchema, IDBPDatabase } from '../../idb/index.js';
import { openDatabase } from '../storage/open-database.js';
import type { CacheEntryRecord } from './cache-entry.js';

/**
 * crossroute's cache metadata lives in its own database, apart from the outcome log's and the
 * beacon outbox's: each is versioned on its own, and a failure in one never blocks the others.
 */
export const CACHE_DB_NAME = 'crossroute-cache';

export interface CacheSchema extends DBSchema {
  entries: {
    key: [string, string];
    value: CacheEntryRecord;
    indexes: { budget: string };
  };
}

export type CacheDatabase = IDBPDatabase<CacheSchema>;

/**
 * Opens (and creates, or repairs: see openDatabase) the database. `closed` is called when the
 * connection ends: closed here because another context needs to upgrade, or by the browser (site data cleared).
 */
export function openCacheDatabase(closed: () => void): Promise<CacheDatabase> {
  return openDatabase<CacheSchema>(CACHE_DB_NAME, {
    isCurrent: (db) => db.objectStoreNames.contains('entries'),
    upgrade(db) {
      if (!db.objectStoreNames.contains('entries')) db.createObjectStore('entries', { keyPath: ['cacheName', 'url'] }).createIndex('budget', 'budget');
    },
    closed,
  });
}
