import type { OutcomeKind } from '../model/outcome.js';
import { INDEX_FOR_FILTER, type LogDatabase, type StoredOutcome } from './schema.js';

/** Which outcomes to read from the log, and how many at a time. */
export interface OutcomeQuery {
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, inclusive. */
  to?: number;
  /** Only outcomes of requests to this origin. */
  targetOrigin?: string;
  /** Only outcomes of this policy. */
  policy?: string;
  /** Only outcomes of this kind. */
  kind?: OutcomeKind;
  /** Only outcomes with this CORS `reason` (e.g. `CORSMissingAllowOrigin`); read through, not indexed. */
  reason?: string;
  /** Only outcomes of this URL exactly, as stored (redacted: no fragment, redacted parameter values). */
  url?: string;
  /**
   * Only outcomes whose stored URL starts with this. A prefix that holds a whole origin and a "/"
   * (`https://api.example/v1/`) reads that origin's index; a shorter one reads the whole time range.
   */
  urlPrefix?: string;
  /** Only the outcomes of this beacon (queued, retry, delivered, dropped). */
  beaconId?: string;
  /** Page size; default 100, at most 10,000. */
  limit?: number;
  /** `newest` (default) or `oldest` first. */
  order?: 'newest' | 'oldest';
  /** From the previous page's `cursor`: continues after its last record. */
  cursor?: string;
}

/** What selects outcomes without paging them: for reading all of them (summaries, exports). */
export type OutcomeFilter = Omit<OutcomeQuery, 'limit' | 'cursor' | 'order'>;

/** One page of outcomes from the log. */
export interface OutcomePage {
  /** In the query's order. */
  outcomes: StoredOutcome[];
  /** Pass back as `cursor` for the next page; null when there is none. */
  cursor: string | null;
}

const MAX_LIMIT = 10_000;

/**
 * One page of outcomes. A filter picks the index ([field, time]), so it and the time range are one
 * key range; further filters (and a URL prefix) are applied while reading.
 */
export async function queryOutcomes(db: LogDatabase, query: OutcomeQuery = {}): Promise<OutcomePage> {
  const limit = query.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new RangeError(`query.limit must be a whole number from 1 to ${MAX_LIMIT} (got ${String(query.limit)}).`);
  }
  const newest = (query.order ?? 'newest') === 'newest';
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  // The cursor's millisecond stays in range; records of it already returned are skipped below.
  const from = after && !newest ? after.time : (query.from ?? -Infinity);
  const to = after && newest ? after.time : (query.to ?? Infinity);
  if (from > to) return { outcomes: [], cursor: null };
  const tx = db.transaction('outcomes');
  const keys: OutcomeQuery = { targetOrigin: prefixOrigin(query.urlPrefix), ...query };
  // A log a worker of an older schema still holds lacks the newer indexes: the next filter serves.
  const filter = FILTERS.find((field) => keys[field] !== undefined && tx.store.indexNames.contains(INDEX_FOR_FILTER[field]));
  const key = filter === undefined ? [] : [keys[filter] as string];
  const range = filter === undefined ? IDBKeyRange.bound(from, to) : IDBKeyRange.bound([...key, from], [...key, to]);
  const index = filter === undefined ? tx.store.index('time') : tx.store.index(INDEX_FOR_FILTER[filter]);
  const outcomes: StoredOutcome[] = [];
  let more = false;
  for await (const cursor of index.iterate(range, newest ? 'prev' : 'next')) {
    const outcome = cursor.value;
    if (after && outcome.time === after.time && (newest ? outcome.seq >= after.seq : outcome.seq <= after.seq)) continue;
    if (!matches(outcome, query)) continue;
    if (outcomes.length === limit) {
      more = true;
      break;
    }
    outcomes.push(outcome);
  }
  const last = outcomes[outcomes.length - 1];
  return { outcomes, cursor: more && last ? encodeCursor(last) : null };
}

// Pure: a worker that never queries the log leaves it out.
const FILTERS = /* @__PURE__ */ Object.keys(INDEX_FOR_FILTER) as Array<keyof typeof INDEX_FOR_FILTER>;

function matches(outcome: StoredOutcome, query: OutcomeQuery): boolean {
  return FILTERS.every((field) => query[field] === undefined || outcome[field] === query[field]) && (query.reason === undefined || outcome.reason === query.reason) && outcome.url.startsWith(query.urlPrefix ?? '');
}

/** The origin a URL prefix pins down: only when the whole origin and the "/" after it are in it. */
function prefixOrigin(prefix: string | undefined): string | undefined {
  if (prefix === undefined || !URL.canParse(prefix)) return undefined;
  const { origin } = new URL(prefix);
  return prefix.startsWith(`${origin}/`) ? origin : undefined;
}

function encodeCursor(outcome: StoredOutcome): string {
  return `${outcome.time}.${outcome.seq}`;
}

function decodeCursor(cursor: string): { time: number; seq: number } {
  const match = /^(\d+)\.(\d+)$/.exec(cursor);
  if (!match) throw new RangeError(`query.cursor "${cursor}" is not a cursor from a previous page; pass the page's cursor unchanged.`);
  return { time: Number(match[1]), seq: Number(match[2]) };
}
