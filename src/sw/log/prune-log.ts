import type { IDBPTransaction } from '../../idb/index.js';
import type { LogDatabase, LogSchema } from '../../log/schema.js';

/**
 * Deletes records older than maxAgeMs, then the oldest until maxRecords remain, in one transaction.
 */
export async function pruneLog(db: LogDatabase, limits: { maxRecords: number; maxAgeMs: number }): Promise<void> {
  const tx = db.transaction('outcomes', 'readwrite');
  const expired = IDBKeyRange.upperBound(Date.now() - limits.maxAgeMs, true);
  for await (const cursor of tx.store.index('time').iterate(expired)) await cursor.delete();
  await trimOldest(tx, limits.maxRecords);
  await tx.done;
}

/**
 * Deletes the oldest records of a read-write transaction until `maxRecords` remain, then commits it.
 * `seq` grows with every write, so "all but the newest maxRecords" is a single key-range delete
 * however many records go. Returns the number of records left.
 */
export async function trimOldest(tx: IDBPTransaction<LogSchema, ['outcomes'], 'readwrite'>, maxRecords: number): Promise<number> {
  const count = await tx.store.count();
  if (count > maxRecords) {
    const oldest = await tx.store.openKeyCursor();
    const firstKept = await oldest?.advance(count - maxRecords);
    if (firstKept) await tx.store.delete(IDBKeyRange.upperBound(firstKept.primaryKey, true));
  }
  tx.commit();
  return Math.min(count, maxRecords);
}
