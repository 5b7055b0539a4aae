import type { CacheBudget, Eviction } from './cache-budget.js';
import type { CacheEntryRecord } from './cache-entry.js';
import { formatBytes } from './format-bytes.js';

type Sized = Pick<CacheEntryRecord, 'storedAt' | 'lastUsed' | 'size'>;

/**
 * The entries to evict so the rest fits the budget: first those older than maxAgeSeconds, then the
 * least recently used until both the entry count and the byte total fit. An entry of unknown age
 * (storedAt 0) is not aged out; its lastUsed of 0 puts it first in line instead.
 */
export function overBudget<Entry extends Sized>(records: readonly Entry[], budget: CacheBudget, now: number): Array<Eviction<Entry>> {
  const evictions: Array<Eviction<Entry>> = [];
  const kept: Entry[] = [];
  for (const record of records) {
    if (record.storedAt > 0 && now - record.storedAt > budget.maxAgeSeconds * 1000) {
      evictions.push({ record, reason: `older than maxAgeSeconds (${budget.maxAgeSeconds})` });
    } else {
      kept.push(record);
    }
  }
  kept.sort((a, b) => a.lastUsed - b.lastUsed);
  let count = kept.length;
  let bytes = kept.reduce((sum, record) => sum + record.size, 0);
  for (const record of kept) {
    if (count <= budget.maxEntries && bytes <= budget.maxBytes) break;
    const reason =
      count > budget.maxEntries
        ? `least recently used of ${count} entries; maxEntries is ${budget.maxEntries}`
        : `least recently used; ${formatBytes(bytes)} counted, maxBytes is ${formatBytes(budget.maxBytes)}`;
    evictions.push({ record, reason });
    count -= 1;
    bytes -= record.size;
  }
  return evictions;
}
