import type { Outcome } from '../../model/outcome.js';
import { OUTCOMES_MESSAGE, type LogDatabase, type LogSchema, type StoredOutcome } from '../../log/schema.js';
import { isQuotaExceeded } from '../cache/quota-exceeded.js';
import { messageOf } from '../errors.js';
import { logger } from '../logger.js';
import type { OutcomeSink } from '../contract/outcome-sink.js';
import type { IDBPTransaction } from '../../idb/index.js';
import { openLogDatabase } from './open-log-database.js';
import { pruneLog, trimOldest } from './prune-log.js';
import { redactOutcome } from './redact-outcome.js';
import { resolveLogOptions, type OutcomeLogOptions, type ResolvedLogOptions } from './log-options.js';

/** The log's health, for pages and tests to show. */
export interface LogStatus {
  /** `opening` until the database is open, then `ready`, or `unavailable` while it cannot be opened. */
  state: 'opening' | 'ready' | 'unavailable';
  /** Why the log is unavailable, or the last storage failure. */
  reason?: string;
  /** Outcomes that could not be stored (storage unavailable, or full even after pruning). */
  dropped: number;
}

interface Batch {
  outcomes: Outcome[];
  /** performance.now() when its first and its latest outcome arrived. */
  opened: number;
  last: number;
  done: Promise<void>;
  settle: () => void;
}

// How long an unavailable database is left alone before the next attempt to open it.
const REOPEN_AFTER_MS = 30_000;
// A batch closes after this long without a new outcome: the worker has stopped answering for now,
// and the transaction does not compete with the next response (10 ms did: sequential fetches under
// load arrive further apart, and each got its own transaction in the middle of the next one).
const QUIET_MS = 50;
// Stored records wait this long for others to share their announcement: a message per transaction
// cost every intercepted fetch 3-5% (bench/log.ts, against `no live channel`); a watcher hears a
// record at most this much later.
const ANNOUNCE_MS = 50;

/**
 * The durable outcome log: an OutcomeSink that writes outcomes in batches, one IndexedDB
 * transaction each, prunes to `maxEntries` / `maxAgeSeconds`, and announces stored records on a
 * BroadcastChannel (one message for what is stored within ANNOUNCE_MS). A batch closes once no
 * outcome has arrived for QUIET_MS, `flushDelaySeconds` after its first outcome at the latest, or
 * at once when `batchSize` wait; with `flushDelaySeconds: 0` it is what arrives in the same task.
 * Redaction and the transaction happen then, not in the task that answered the request.
 *
 * `write()` resolves once its batch is stored and announced (or given up), never rejects; the
 * dispatcher awaits it inside the fetch event's waitUntil, so a browser that stops an idle worker
 * waits for both while the page already has its response. A stop that ignores waitUntil (CDP's
 * stopAllWorkers) loses what is buffered and what has not committed.
 */
export class OutcomeLog implements OutcomeSink {
  /** The options in force, defaults filled in (internal units). */
  readonly #options: ResolvedLogOptions;
  /** Whether the log can store, and what it could not. */
  readonly status: LogStatus = { state: 'opening', dropped: 0 };
  #db: Promise<LogDatabase> | undefined;
  #failedAt = 0;
  #batch: Batch | undefined;
  #stored: Promise<void> = Promise.resolve();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Records in the log once every transaction this instance created has run, kept in creation order
   * (IndexedDB's order for read-write transactions on one store); undefined when unknown: before the
   * first transaction, after a prune, a clear or a failure, and once another writer is seen.
   */
  #count: number | undefined;
  /** The latest recount in flight, and what the transactions created after it add. */
  #round: { added: number } | undefined;
  /** The key of the latest record this instance stored, to see whether another writer came between. */
  #lastKey: number | undefined;
  /** Time of the oldest stored record, read once and kept up to date; undefined when unknown. */
  #oldest: number | undefined;
  readonly #channel: BroadcastChannel | undefined;
  /** Stored records waiting for their announcement, in the order they were stored. */
  #announcement: { outcomes: StoredOutcome[]; posted: Promise<void> } | undefined;

  constructor(options: OutcomeLogOptions = {}) {
    this.#options = resolveLogOptions(options);
    this.#channel = this.#options.channelName === false ? undefined : new BroadcastChannel(this.#options.channelName);
  }

  /**
   * Queues an outcome for the next batch, its URLs redacted (see `urls`); resolves once that batch
   * is stored and announced, or given up; never rejects.
   */
  write(outcome: Outcome): Promise<void> {
    const batch = (this.#batch ??= newBatch());
    batch.outcomes.push(outcome);
    batch.last = performance.now();
    if (batch.outcomes.length >= this.#options.batchSize) void this.flush();
    else if (this.#options.flushDelayMs === 0) {
      if (batch.outcomes.length === 1) queueMicrotask(() => void this.flush());
    } else this.#timer ??= setTimeout(() => this.#closeWhenQuiet(batch), QUIET_MS);
    return batch.done;
  }

  /** Flushes `batch` once it has been quiet for QUIET_MS or open for flushDelaySeconds, else waits on. */
  #closeWhenQuiet(batch: Batch): void {
    const now = performance.now();
    const left = Math.min(batch.last + QUIET_MS, batch.opened + this.#options.flushDelayMs) - now;
    if (left <= 0) void this.flush();
    else this.#timer = setTimeout(() => this.#closeWhenQuiet(batch), left);
  }

  /**
   * Hands what is buffered to IndexedDB now, without waiting for earlier batches: the database
   * orders read-write transactions itself. Resolves when this batch and every one before it is
   * stored and announced, or given up.
   */
  flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#batch;
    this.#batch = undefined;
    if (batch) {
      const stored = this.#store(batch.outcomes.map((o) => redactOutcome(o, this.#options.redaction))).finally(batch.settle);
      this.#stored = Promise.all([this.#stored, stored]).then(() => undefined);
    }
    return this.#stored;
  }

  /**
   * Deletes every stored outcome (pending batches included) once what was stored before the call is
   * announced; a record written in the meantime may go too.
   */
  async clear(): Promise<void> {
    await this.flush();
    const db = await this.database();
    const cleared = db.clear('outcomes');
    this.#oldest = undefined;
    await cleared;
    // Forgotten once the clear has run, after any batch queued before it has been counted: the next
    // write then counts the store inside its transaction instead of adding to a count from before.
    this.#count = undefined;
  }

  async #store(outcomes: Outcome[]): Promise<void> {
    let db: LogDatabase;
    try {
      db = await this.database();
    } catch (error) {
      return this.#drop(outcomes, `the log database could not be opened: ${messageOf(error)}`);
    }
    let stored: StoredOutcome[];
    try {
      stored = await this.#add(db, outcomes).catch(async (error: unknown) => {
        if (!isQuotaExceeded(error)) throw error;
        // Full: make room by dropping the oldest records, then try once more.
        await pruneLog(db, { ...this.#options, maxRecords: Math.floor(this.#options.maxRecords / 2) });
        this.#count = undefined;
        return this.#add(db, outcomes);
      });
    } catch (error) {
      return this.#drop(outcomes, `storing outcomes failed: ${messageOf(error)}`);
    }
    // Queued before anything else is awaited, so pages hear batches in the order they were stored.
    const announced = this.#announce(stored);
    try {
      this.#oldest = Math.min(this.#oldest ?? (await oldestTime(db)), ...stored.map((o) => o.time));
      if (this.#oldest < Date.now() - this.#options.maxAgeMs) {
        await pruneLog(db, this.#options);
        this.#count = undefined;
        this.#oldest = undefined;
      }
    } catch (error) {
      // The batch is stored all the same; the next one counts, reads the oldest record and prunes again.
      this.#count = undefined;
      this.#oldest = undefined;
      this.status.reason = `pruning the log failed: ${messageOf(error)}`;
    }
    // Within the fetch events' waitUntil, and before a clear() that follows deletes these records.
    await announced;
  }

  /** Queues `stored` for the next announcement; resolves once it is posted (at once without a channel). */
  #announce(stored: StoredOutcome[]): Promise<void> | undefined {
    const channel = this.#channel;
    if (!channel) return undefined;
    const next = (this.#announcement ??= {
      outcomes: [],
      posted: new Promise((resolve) =>
        setTimeout(() => {
          // Taken first: a post that throws must not leave the queue growing with no timer.
          this.#announcement = undefined;
          resolve();
          channel.postMessage({ type: OUTCOMES_MESSAGE, outcomes: next.outcomes });
        }, ANNOUNCE_MS),
      ),
    });
    // At most batchSize (10,000) arguments.
    next.outcomes.push(...stored);
    return next.posted;
  }

  async #add(db: LogDatabase, outcomes: Outcome[]): Promise<StoredOutcome[]> {
    const tx = db.transaction('outcomes', 'readwrite');
    const adds = outcomes.map((o) => tx.store.add(o as StoredOutcome));
    const keys = Promise.all(adds);
    // Committed in the task that wrote it: waiting for the adds first held the store for a round trip
    // to this busy thread per batch, so a burst queued uncommitted transactions (lost if the worker is
    // stopped) behind one another.
    const round = this.#round;
    if (this.#count !== undefined) {
      if ((this.#count += outcomes.length) > this.#options.maxRecords * 1.1) {
        // Over the bound: the oldest go in this same transaction, so no moment holds more than 110%.
        this.#count = this.#options.maxRecords;
        void trimOldest(tx, this.#options.maxRecords).catch(() => undefined);
      } else tx.commit();
    } else if (round && round.added + outcomes.length <= this.#options.maxRecords * 0.1) {
      // Counted once the transaction counting the log has: at most 10% over what it leaves.
      round.added += outcomes.length;
      tx.commit();
    } else this.#recount(tx);
    // Another instance writing to the same database (an old worker finishing its events beside its
    // successor, a second registration) moves the key generator: then the log is counted again.
    void keys.then((stored) => {
      if (this.#lastKey !== undefined && stored[0] !== this.#lastKey + 1) this.#count = undefined;
      this.#lastKey = stored.at(-1);
    }, () => undefined); // when the transaction fails, its own error says why (e.g. QuotaExceededError)
    try {
      await tx.done;
    } catch (error) {
      this.#count = undefined;
      throw tx.error ?? error;
    }
    const seqs = await keys;
    return outcomes.map((o, i) => ({ ...o, seq: seqs[i]! }));
  }

  /**
   * Counts the log in `tx` once its adds are done, trimmed to the bound. The transactions created
   * meanwhile commit at once and add to the count, up to 10% of the bound; the next one counts again.
   */
  #recount(tx: IDBPTransaction<LogSchema, ['outcomes'], 'readwrite'>): void {
    const round = (this.#round = { added: 0 });
    // A later round counts what this one saw and more: only the latest round's result is kept.
    const done = (count?: number): void => {
      if (this.#round !== round) return;
      this.#round = undefined;
      this.#count = count;
    };
    void trimOldest(tx, this.#options.maxRecords).then((left) => done(left + round.added), () => done());
  }

  #drop(outcomes: Outcome[], reason: string): void {
    this.status.dropped += outcomes.length;
    this.status.reason = reason;
    if (process.env.NODE_ENV !== 'production') logger.warn(`${outcomes.length} outcome(s) not logged: ${reason}`);
  }

  /**
   * The log's database, for reading it in the worker with `queryOutcomes`, `summarizeLog`,
   * `exportNdjson` or `readAll` (functions, so a worker that only writes does not bundle them).
   * Rejects while the database is unavailable.
   */
  database(): Promise<LogDatabase> {
    if (this.#db === undefined && Date.now() - this.#failedAt > REOPEN_AFTER_MS) {
      this.status.state = 'opening';
      const opening = openLogDatabase({
        blocked: (reason) => {
          this.status.reason = reason;
          if (process.env.NODE_ENV !== 'production') logger.warn(reason);
        },
        // A newer worker wants to upgrade the schema (or the browser ended the connection): reopen on the next batch.
        closed: () => {
          this.#db = undefined;
        },
      });
      this.#db = opening;
      opening.then(
        () => {
          this.status.state = 'ready';
        },
        (error: unknown) => {
          this.#db = undefined;
          this.#failedAt = Date.now();
          this.status.state = 'unavailable';
          this.status.reason = `the log database could not be opened: ${messageOf(error)}`;
        },
      );
    }
    return this.#db ?? Promise.reject(new Error(this.status.reason ?? 'the log database is unavailable'));
  }
}

/** The time of the oldest record; Infinity for an empty log. */
async function oldestTime(db: LogDatabase): Promise<number> {
  const first = await db.transaction('outcomes').store.index('time').openKeyCursor();
  return first ? first.key : Infinity;
}

function newBatch(): Batch {
  let settle!: () => void;
  const done = new Promise<void>((resolve) => (settle = resolve));
  const now = performance.now();
  return { outcomes: [], opened: now, last: now, done, settle };
}
