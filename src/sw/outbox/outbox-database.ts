import type { DBSchema, IDBPDatabase } from '../../idb/index.js';
import { openDatabase } from '../storage/open-database.js';
import type { OutboxTotals } from '../../model/outbox-state.js';
import type { OriginState, OutboxEntry } from './outbox-entry.js';

/**
 * The outbox's own database, apart from the outcome log and the cache metadata: its version moves on
 * its own, and a failure to open it never keeps the others from working (nor the reverse).
 */
export const OUTBOX_DB_NAME = 'crossroute-outbox';

/** The running counts kept beside the entries, updated in the same transactions. */
export interface OutboxCounters extends OutboxTotals {
  entries: number;
  bytes: number;
}

export interface OutboxSchema extends DBSchema {
  beacons: {
    key: string;
    value: OutboxEntry;
    indexes: {
      // Due entries of one origin are one key range: [origin, 0] .. [origin, now].
      'origin-due': [string, number];
      // Beacons waiting to share a batch: a new one joins the window already open for its key.
      'batch-due': [string, number];
      // Oldest first, for eviction when the outbox is full.
      queued: number;
      expires: number;
      // Leased entries by holder: those of a holder that is gone are released at the next claim.
      lease: string;
    };
  };
  origins: { key: string; value: OriginState };
  counters: { key: 'counters'; value: OutboxCounters };
}

export type OutboxDatabase = IDBPDatabase<OutboxSchema>;

export function emptyCounters(): OutboxCounters {
  return { entries: 0, bytes: 0, queued: 0, delivered: 0, retried: 0, dropped: 0, evicted: 0 };
}

export const OUTBOX_STORES = ['beacons', 'origins', 'counters'] as const;

/**
 * Opens (and creates, or repairs: see openDatabase) the outbox. `closed`: another context wants a
 * newer version, or the browser ended the connection; the caller reopens on next use.
 */
export function openOutboxDatabase(name: string, closed: () => void): Promise<OutboxDatabase> {
  return openDatabase<OutboxSchema>(name, {
    isCurrent: (db) => OUTBOX_STORES.every((store) => db.objectStoreNames.contains(store)) && db.transaction('beacons').store.indexNames.contains('lease'),
    upgrade(db, tx) {
      if (!db.objectStoreNames.contains('beacons')) {
        const beacons = db.createObjectStore('beacons', { keyPath: 'id' });
        beacons.createIndex('origin-due', ['origin', 'nextAttemptAt']);
        beacons.createIndex('batch-due', ['batch.key', 'nextAttemptAt']);
        beacons.createIndex('queued', 'queuedAt');
        beacons.createIndex('expires', 'expiresAt');
      }
      // Added later than the stores: an outbox made before gets it in place, its entries kept.
      const beacons = tx.objectStore('beacons');
      if (!beacons.indexNames.contains('lease')) beacons.createIndex('lease', 'lease.holder');
      if (!db.objectStoreNames.contains('origins')) db.createObjectStore('origins', { keyPath: 'origin' });
      if (!db.objectStoreNames.contains('counters')) db.createObjectStore('counters');
    },
    closed,
  });
}
