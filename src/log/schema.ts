import type { DBSchema, IDBPDatabase, IDBPTransaction } from '../idb/index.js';
import type { Outcome, OutcomeKind } from '../model/outcome.js';

/**
 * The outcome log's IndexedDB format, shared by the worker (the only writer, and the only one that
 * creates or upgrades the database) and the page (which only reads, and clears).
 */
export const LOG_DB_NAME = 'crossroute-log';
/** The BroadcastChannel on which the worker announces stored records, by default, and its message type. */
export const OUTCOMES_CHANNEL = 'crossroute-outcomes';
export const OUTCOMES_MESSAGE = 'crossroute:outcomes';
/**
 * Bumped with every change of stores, indexes or record shape; ensureSchema migrates. 2: the
 * `url-time` and `beacon-time` indexes (records of version 1 are indexed as they are).
 */
export const LOG_SCHEMA_VERSION = 2;

/** An Outcome as stored: `seq` is the insertion order, the tie-breaker for records of the same millisecond. */
export interface StoredOutcome extends Outcome {
  /** Insertion order, from 1. */
  seq: number;
}

export interface LogSchema extends DBSchema {
  outcomes: {
    key: number;
    value: StoredOutcome;
    indexes: {
      // [field, time]: a filter plus a time range in one key range. Entries with the same key are
      // ordered by primary key (seq), which makes paging stable within one millisecond.
      time: number;
      'origin-time': [string, number];
      'policy-time': [string, number];
      'kind-time': [OutcomeKind, number];
      'url-time': [string, number];
      // Only outcomes with a beaconId are in it.
      'beacon-time': [string, number];
    };
  };
  meta: {
    key: 'schema';
    value: { schemaVersion: number };
  };
}

/** The outcome log's database, opened by schema (crossroute's typed IndexedDB wrapper, src/idb): what queryOutcomes, summarizeLog, readAll and exportNdjson read. */
export type LogDatabase = IDBPDatabase<LogSchema>;

/** The index of each filter field, most selective first: a query walks the first one it filters by. */
export const INDEX_FOR_FILTER = { url: 'url-time', beaconId: 'beacon-time', kind: 'kind-time', policy: 'policy-time', targetOrigin: 'origin-time' } as const;

/** True when the database holds every store and index of this schema version. */
export function hasCurrentSchema(db: { objectStoreNames: DOMStringList }): boolean {
  const names = db.objectStoreNames;
  return names.contains('outcomes') && names.contains('meta');
}

/**
 * Creates whatever is missing, whatever the database's version number says: a page that opened
 * the database first may have created an empty one, and the worker must still end up with its schema.
 */
export function ensureSchema(db: LogDatabase, tx: IDBPTransaction<LogSchema, Array<'outcomes' | 'meta'>, 'versionchange'>): void {
  const outcomes = db.objectStoreNames.contains('outcomes')
    ? tx.objectStore('outcomes')
    : db.createObjectStore('outcomes', { keyPath: 'seq', autoIncrement: true });
  const indexes: Array<[keyof LogSchema['outcomes']['indexes'], string | string[]]> = [
    ['time', 'time'],
    ['origin-time', ['targetOrigin', 'time']],
    ['policy-time', ['policy', 'time']],
    ['kind-time', ['kind', 'time']],
    ['url-time', ['url', 'time']],
    ['beacon-time', ['beaconId', 'time']],
  ];
  for (const [name, keyPath] of indexes) {
    if (!outcomes.indexNames.contains(name)) outcomes.createIndex(name, keyPath);
  }
  if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta');
  void tx.objectStore('meta').put({ schemaVersion: LOG_SCHEMA_VERSION }, 'schema');
}
