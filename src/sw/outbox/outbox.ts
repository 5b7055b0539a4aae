import type { OutboxState } from '../../model/outbox-state.js';
import { CrossrouteError } from '../errors.js';
import type { IDBPIndex } from '../../idb/index.js';
import { emptyCounters, openOutboxDatabase, OUTBOX_DB_NAME, OUTBOX_STORES, type OutboxCounters, type OutboxDatabase, type OutboxSchema } from './outbox-database.js';
import type { OriginState, OutboxEntry, OutboxLimits } from './outbox-entry.js';

export interface ClaimOptions {
  now: number;
  /** Entries at most, shared fairly among the origins that have due entries. */
  limit: number;
  /** How long the claimed entries stay invisible to other claims (another worker instance's too). */
  leaseMs: number;
  /** Origins found unreachable during this drain: not claimed again in it. */
  skip: ReadonlySet<string>;
  /** Origins proven reachable during this drain: claimed in full whatever their stored state says. */
  reachable: ReadonlySet<string>;
  /** Claim one entry of each unreachable origin now (a probe) instead of waiting for its retryAt. */
  probeUnreachable: boolean;
  /** Who leases the claimed entries (see Lease). */
  holder?: string | null;
  /**
   * Holders known to be alive. Given, every lease of another holder missing from it is released
   * first (its entry due as before the lease); absent, leases end only with their time.
   */
  liveHolders?: ReadonlySet<string>;
}

type LeaseIndex = IDBPIndex<OutboxSchema, typeof OUTBOX_STORES, 'beacons', 'lease', 'readwrite'>;

export interface Claim {
  /** Leased entries, each with the nextAttemptAt it had before the lease. */
  entries: OutboxEntry[];
  /** Entries past their age limit, removed by this claim. */
  expired: OutboxEntry[];
  origins: Map<string, OriginState>;
}

export type Settlement =
  /** The entry leaves the outbox. */
  | { kind: 'delivered' | 'dropped'; entry: OutboxEntry }
  /** The entry goes back as given (its nextAttemptAt, attempts, sends); `retried` counts it in the totals. */
  | { kind: 'requeue'; entry: OutboxEntry; retried: boolean };

/**
 * The durable outbox: beacons in IndexedDB, with running counters kept in the same transactions so
 * the bounds are enforced without counting, and per-entry leases so that several drains (of one
 * worker or of two worker versions) never send the same entry at once.
 */
export class Outbox {
  #db: Promise<OutboxDatabase> | undefined;
  readonly #name: string;

  constructor(name = OUTBOX_DB_NAME) {
    this.#name = name;
  }

  /**
   * Stores the entry before anything is sent. When it does not fit the limits, the oldest entries
   * are evicted first, in the same transaction, and returned so they can be logged. A beacon that
   * waits for a batch joins the batch window already open for its key, so they leave together.
   */
  async add(entry: OutboxEntry, limits: OutboxLimits): Promise<OutboxEntry[]> {
    if (entry.bytes > limits.maxBytes) {
      throw new CrossrouteError('beacon-too-large', 'maxBytes', `the beacon to ${entry.url} takes ${entry.bytes} bytes, more than the outbox's maxBytes (${limits.maxBytes}); raise maxBytes or send less`);
    }
    const tx = (await this.#database()).transaction(OUTBOX_STORES, 'readwrite');
    const beacons = tx.objectStore('beacons');
    const counters = await this.#counters(tx.objectStore('counters'));
    const overfull = (): boolean => counters.entries + 1 > limits.maxEntries || counters.bytes + entry.bytes > limits.maxBytes;
    const evicted: OutboxEntry[] = [];
    let cursor = overfull() ? await beacons.index('queued').openCursor() : null;
    while (cursor && overfull()) {
      evicted.push(cursor.value);
      counters.entries -= 1;
      counters.bytes -= cursor.value.bytes;
      counters.evicted += 1;
      await cursor.delete();
      cursor = await cursor.continue();
    }
    const origins = tx.objectStore('origins');
    const known = await origins.getKey(entry.origin);
    // An open window: a waiting entry with the same key, due after now and no later than this one.
    const window = entry.batch && entry.nextAttemptAt > entry.queuedAt
      ? (await beacons.index('batch-due').getAll(IDBKeyRange.bound([entry.batch.key, entry.queuedAt], [entry.batch.key, entry.nextAttemptAt], true, false), 1))[0]?.nextAttemptAt
      : undefined;
    counters.entries += 1;
    counters.bytes += entry.bytes;
    counters.queued += 1;
    await Promise.all([
      beacons.add(window === undefined ? entry : { ...entry, nextAttemptAt: window }),
      known === undefined ? origins.put({ origin: entry.origin, failures: 0, retryAt: 0, cors: null }) : undefined,
      tx.objectStore('counters').put(counters, 'counters'),
      tx.done,
    ]);
    return evicted;
  }

  /** Leases due entries (and removes expired ones) in one transaction. */
  async claim(options: ClaimOptions): Promise<Claim> {
    const { now } = options;
    const tx = (await this.#database()).transaction(OUTBOX_STORES, 'readwrite');
    const beacons = tx.objectStore('beacons');
    if (options.liveHolders) await releaseOrphans(beacons.index('lease'), options.liveHolders, options.holder ?? null);
    const expired = await beacons.index('expires').getAll(IDBKeyRange.upperBound(now));
    const gone = new Set(expired.map((entry) => entry.id));
    const origins = new Map((await tx.objectStore('origins').getAll()).map((state) => [state.origin, state]));
    const eligible = [...origins.values()].filter((state) => !options.skip.has(state.origin) && isEligible(state, options));
    const share = Math.max(1, Math.ceil(options.limit / Math.max(1, eligible.length)));
    const entries: OutboxEntry[] = [];
    for (const state of eligible) {
      const reachable = state.failures === 0 || options.reachable.has(state.origin);
      const room = Math.min(reachable ? share : 1, options.limit - entries.length);
      if (room <= 0) break;
      const due = await beacons.index('origin-due').getAll(IDBKeyRange.bound([state.origin, -Infinity], [state.origin, now]), room);
      // A lease that ran out by its time is over: the entry is handed out without it.
      for (const { lease: _over, ...entry } of due) if (!gone.has(entry.id)) entries.push(entry);
    }
    const counters = expired.length > 0 ? await this.#counters(tx.objectStore('counters')) : undefined;
    if (counters) {
      for (const entry of expired) remove(counters, entry, 'dropped');
    }
    await Promise.all([
      ...expired.map((entry) => beacons.delete(entry.id)),
      ...entries.map((entry) => beacons.put({ ...entry, nextAttemptAt: now + options.leaseMs, lease: { holder: options.holder ?? null, due: entry.nextAttemptAt } })),
      counters ? tx.objectStore('counters').put(counters, 'counters') : undefined,
      tx.done,
    ]);
    return { entries, expired, origins };
  }

  /**
   * Records what became of claimed entries, and what was learnt about their origins, in one
   * transaction. An entry evicted meanwhile stays gone (a requeue does not bring it back).
   */
  async settle(settlements: readonly Settlement[], origins: readonly OriginState[] = []): Promise<void> {
    const tx = (await this.#database()).transaction(OUTBOX_STORES, 'readwrite');
    const beacons = tx.objectStore('beacons');
    const [counters, present] = await Promise.all([
      this.#counters(tx.objectStore('counters')),
      Promise.all(settlements.map(({ entry }) => beacons.getKey(entry.id))),
    ]);
    const ops: Array<Promise<unknown>> = [];
    settlements.forEach((settlement, i) => {
      if (present[i] === undefined) return;
      if (settlement.kind === 'requeue') {
        if (settlement.retried) counters.retried += 1;
        ops.push(beacons.put(settlement.entry));
      } else {
        remove(counters, settlement.entry, settlement.kind);
        ops.push(beacons.delete(settlement.entry.id));
      }
    });
    const originStore = tx.objectStore('origins');
    ops.push(...origins.map((state) => originStore.put(state)), tx.objectStore('counters').put(counters, 'counters'));
    await Promise.all([...ops, tx.done]);
  }

  /**
   * Removes every waiting entry, or those of one origin, and returns them. One being sent right now
   * may still arrive; its settlement then finds it gone and leaves it so.
   */
  async clear(origin?: string): Promise<OutboxEntry[]> {
    const tx = (await this.#database()).transaction(OUTBOX_STORES, 'readwrite');
    const beacons = tx.objectStore('beacons');
    const removed = origin === undefined ? await beacons.getAll() : await beacons.index('origin-due').getAll(IDBKeyRange.bound([origin, -Infinity], [origin, Infinity]));
    const counters = await this.#counters(tx.objectStore('counters'));
    for (const entry of removed) remove(counters, entry, 'dropped');
    await Promise.all([...removed.map((entry) => beacons.delete(entry.id)), tx.objectStore('counters').put(counters, 'counters'), tx.done]);
    return removed;
  }

  /** When the next entry becomes due (respecting unreachable origins' retryAt); null when empty. */
  async nextDueAt(): Promise<number | null> {
    const tx = (await this.#database()).transaction(['beacons', 'origins']);
    const index = tx.objectStore('beacons').index('origin-due');
    let next: number | null = null;
    for (const state of await tx.objectStore('origins').getAll()) {
      const first = await index.openCursor(IDBKeyRange.bound([state.origin, -Infinity], [state.origin, Infinity]));
      if (!first) continue;
      const due = state.failures > 0 ? Math.max(first.value.nextAttemptAt, state.retryAt) : first.value.nextAttemptAt;
      next = next === null ? due : Math.min(next, due);
    }
    await tx.done;
    return next;
  }

  async state(limits: OutboxLimits): Promise<Omit<OutboxState, 'draining'>> {
    const tx = (await this.#database()).transaction(OUTBOX_STORES);
    const [counters, oldest, origins] = await Promise.all([
      this.#counters(tx.objectStore('counters')),
      tx.objectStore('beacons').index('queued').openCursor(),
      tx.objectStore('origins').getAll(),
    ]);
    const { entries, bytes, ...totals } = counters;
    return {
      entries,
      bytes,
      oldestQueuedAt: oldest?.value.queuedAt ?? null,
      unreachable: origins.filter((state) => state.failures > 0).map(({ origin, failures, retryAt }) => ({ origin, failures, retryAt })),
      totals,
      limits: { ...limits },
    };
  }

  async #counters(store: { get(key: 'counters'): Promise<OutboxCounters | undefined> }): Promise<OutboxCounters> {
    return (await store.get('counters')) ?? emptyCounters();
  }

  /** Opened on first use; when a newer worker's upgrade (or the browser) closes it, the next call opens it again. */
  #database(): Promise<OutboxDatabase> {
    this.#db ??= openOutboxDatabase(this.#name, () => {
      this.#db = undefined;
    }).catch((error: unknown) => {
      this.#db = undefined;
      throw error;
    });
    return this.#db;
  }
}

/**
 * Gives back the entries leased by a holder that is gone (a worker killed mid-send): due as they were
 * before the lease, so this very claim can take them instead of waiting for the lease's time.
 */
async function releaseOrphans(leases: LeaseIndex, live: ReadonlySet<string>, self: string | null): Promise<void> {
  for (let cursor = await leases.openCursor(); cursor; cursor = await cursor.continue()) {
    const { lease, ...entry } = cursor.value;
    if (lease?.holder && lease.holder !== self && !live.has(lease.holder)) await cursor.update({ ...entry, nextAttemptAt: lease.due });
  }
}

function isEligible(state: OriginState, options: ClaimOptions): boolean {
  return state.failures === 0 || options.reachable.has(state.origin) || options.probeUnreachable || state.retryAt <= options.now;
}

function remove(counters: OutboxCounters, entry: OutboxEntry, kind: 'delivered' | 'dropped'): void {
  counters.entries -= 1;
  counters.bytes -= entry.bytes;
  counters[kind] += 1;
}
