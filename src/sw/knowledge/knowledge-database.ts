import type { DBSchema, IDBPDatabase } from '../../idb/index.js';
import { openDatabase } from '../storage/open-database.js';
import type { OriginCors } from './cors-fact.js';

/**
 * The CORS knowledge has a database of its own, apart from the log, the outbox and the cache
 * metadata: a few hundred bytes per origin, versioned on its own.
 */
export const KNOWLEDGE_DB_NAME = 'crossroute-knowledge';

export interface KnowledgeSchema extends DBSchema {
  origins: { key: string; value: OriginCors };
}

export type KnowledgeDatabase = IDBPDatabase<KnowledgeSchema>;

/** Opens (creates, or repairs: see openDatabase) the database; `closed` when the connection ends. */
export function openKnowledgeDatabase(closed: () => void): Promise<KnowledgeDatabase> {
  return openDatabase<KnowledgeSchema>(KNOWLEDGE_DB_NAME, {
    isCurrent: (db) => db.objectStoreNames.contains('origins'),
    upgrade(db) {
      if (!db.objectStoreNames.contains('origins')) db.createObjectStore('origins', { keyPath: 'origin' });
    },
    closed,
  });
}
