import type { LogDatabase } from '../../log/schema.js';

/**
 * Deletes records older than maxAgeMs, then the oldest until maxRecords remain, in one transaction.
 * `seq` grows with every write, so "all but the newest maxRecords" is a single key-range delete
 * however many records go. Returns the number of records left.
 */
export async function pruneLog(db: LogDatabase, limits: { maxRecords: number; maxAgeMs: number }): Promise<number> {
  const tx = db.transaction('outcomes', 'readwrite');
  const expired = IDBKeyRange.upperBound(Date.now() - limits.maxAgeMs, true);
  for await (const cursor of tx.store.index('time').iterate(expired)) await cursor.delete();
  let count = await tx.store.count();
  if (count > limits.maxRecords) {
    const oldest = await tx.store.openKeyCursor();
    const firstKept = await oldest?.advance(count - limits.maxRecords);
    if (firstKept) await tx.store.delete(IDBKeyRange.upperBound(firstKept.primaryKey, true));
    count = limits.maxRecords;
  }
  await tx.done;
  return count;
}
