import type { CacheEntryRecord } from './cache-entry.js';

type Used = Pick<CacheEntryRecord, 'lastUsed' | 'size'>;

/**
 * The least recently used entries whose sizes add up to `bytes`, and at least one: what to free
 * after a QuotaExceededError before the one retry.
 */
export function roomFor<Entry extends Used>(records: readonly Entry[], bytes: number): Entry[] {
  const chosen: Entry[] = [];
  let freed = 0;
  for (const record of [...records].sort((a, b) => a.lastUsed - b.lastUsed)) {
    if (chosen.length > 0 && freed >= bytes) break;
    chosen.push(record);
    freed += record.size;
  }
  return chosen;
}
