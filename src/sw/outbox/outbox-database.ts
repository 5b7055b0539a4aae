import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { OutboxTotals } from '../../model/outbox-state.js';
import type { OriginState, OutboxEntry } from './outbox-entry.js';

/**
 * The outbox's own database, apart from the outcome log and the cache metadata: its version moves on
 * its own, and a failure to open it never keeps the others from working (nor the reverse).
 */
export const OUTBOX_DB_NAME = 'crossroute-outbox';
const OUTBOX_DB_VERSION = 1;

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
    };
  };
  origins: { key: string; value: OriginState };
  counters: { key: 'counters'; value: OutboxCounters };
}

export type OutboxDatabase = IDBPDatabase<OutboxSchema>;

export function emptyCounters(): OutboxCounters {
  return { entries: 0, bytes: 0, queued: 0, delivered: 0, retried: 0, dropped: 0, evicted: 0 };
}

/** `onVersionChange`: another context wants a newer version; the caller must close and reopen later. */
export function openOutboxDatabase(name: string, onVersionChange: () => void): Promise<OutboxDatabase> {
  return openDB<OutboxSchema>(name, OUTBOX_DB_VERSION, {
    upgrade(db) {
      const beacons = db.createObjectStore('beacons', { keyPath: 'id' });
      beacons.createIndex('origin-due', ['origin', 'nextAttemptAt']);
      beacons.createIndex('batch-due', ['batch.key', 'nextAttemptAt']);
      beacons.createIndex('queued', 'queuedAt');
      beacons.createIndex('expires', 'expiresAt');
      db.createObjectStore('origins', { keyPath: 'origin' });
      db.createObjectStore('counters');
    },
    blocking: onVersionChange,
  });
}
