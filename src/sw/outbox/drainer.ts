import type { Outcome } from '../../model/outcome.js';
import type { DeliveryReport } from '../../model/outbox-state.js';
import { messageOf } from '../errors.js';
import { logger } from '../logger.js';
import { backoffDelay } from './backoff.js';
import { deliver as fetchDeliver, type Deliver, type Verdict } from './deliver.js';
import type { Outbox, Settlement } from './outbox.js';
import type { OriginState, OutboxEntry } from './outbox-entry.js';
import type { OutcomeSink } from '../contract/outcome-sink.js';
import { writeOutcome } from '../outcome/write-outcome.js';
import { givenUpOutcome, replayOutcome, type SendFacts } from './replay-outcome.js';
import { packSendUnits, type SendUnit } from './send-unit.js';
import { webLockHolders, type LeaseHolders } from './lease-holder.js';

const MIN_TIMER_MS = 50;

/**
 * What started a drain. Every trigger but the timer is news that the network may be back, so it
 * probes unreachable origins at once (one beacon each) instead of waiting for their backoff. `page`
 * is a page asking (crossroute/client deliverNow(): a call, the page becoming visible, or its probe
 * cadence while beacons wait).
 */
export type ReplayTrigger = 'request' | 'start' | 'activate' | 'sync' | 'online' | 'page' | 'timer';

/**
 * Triggers that ask while a pass is already wanted share that pass, which is named after the one
 * first here: the browser's and the page's news of the network before the worker's own reasons, so
 * a Background Sync event always shows in the log as the pass it caused.
 */
const PRECEDENCE: readonly ReplayTrigger[] = ['sync', 'online', 'page', 'start', 'activate', 'request', 'timer'];

export interface DrainSettings {
  /** Requests in flight at most. */
  concurrency: number;
  /** Entries leased per claim transaction. */
  claimSize: number;
  /** A send that takes longer is aborted and retried. */
  sendTimeoutMs: number;
}

/** What one drain did (the page reads the same through deliverNow()). */
export interface DrainReport extends DeliveryReport {
  trigger: ReplayTrigger;
}

export interface DrainerHooks {
  /** Receives every outcome of the drain (delivered, retry, dropped). */
  sink: OutcomeSink;
  /** Sends failed on the network: a chance to ask for a Background Sync and tell the pages; awaited (errors ignored). */
  onUnreachable?(): void | Promise<void>;
  deliver?: Deliver;
  now?(): number;
  /** Whose leases are whose; default: Web Locks (see webLockHolders). */
  holders?: LeaseHolders;
}

/** One drain's working state. */
interface Pass {
  report: DrainReport;
  origins: Map<string, OriginState>;
  /** Found unreachable in this pass: not claimed again in it. */
  blocked: Set<string>;
  /** Proven reachable in this pass: claimed in full. */
  reachable: Set<string>;
  /** Results not yet handed to the outbox. */
  settlements: Settlement[];
  /** Origins whose state changed since the last hand-over. */
  changed: Set<string>;
  /** Outcomes of the settlements not yet handed over: written once the outbox holds them. */
  outcomes: Outcome[];
  /** Outcome writes, awaited before the drain resolves. */
  writes: Array<Promise<void>>;
  /** The chain of settle transactions. */
  stored: Promise<void>;
}

/**
 * Sends what the outbox holds: leases due entries in chunks, sends them with bounded concurrency
 * (batching what may be batched), and records every result in batched transactions. Drains never
 * overlap within a worker: a trigger during a drain asks for one more pass after it; leases keep
 * drains of different worker instances apart. While the worker lives, a timer drains again when the
 * next entry is due.
 */
export class Drainer {
  #current: Promise<DrainReport> | undefined;
  #next: Promise<DrainReport> | undefined;
  #wanted: ReplayTrigger | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #deliver: Deliver;
  readonly #now: () => number;
  readonly #holders: LeaseHolders;
  readonly #outbox: Outbox;
  readonly #settings: DrainSettings;
  readonly #hooks: DrainerHooks;

  constructor(
    outbox: Outbox,
    settings: DrainSettings,
    hooks: DrainerHooks,
  ) {
    this.#outbox = outbox;
    this.#settings = settings;
    this.#hooks = hooks;
    this.#deliver = hooks.deliver ?? fetchDeliver;
    this.#now = hooks.now ?? Date.now;
    this.#holders = hooks.holders ?? webLockHolders();
  }

  /** Resolves (never rejects) after a pass that started after this call. */
  drain(trigger: ReplayTrigger): Promise<DrainReport> {
    if (this.#wanted === undefined || PRECEDENCE.indexOf(trigger) < PRECEDENCE.indexOf(this.#wanted)) this.#wanted = trigger;
    this.#next ??= (this.#current ?? Promise.resolve()).then(() => this.#startWanted());
    return this.#next;
  }

  /** A drain is running or asked for. */
  get busy(): boolean {
    return this.#current !== undefined || this.#next !== undefined;
  }

  /** Stops the timer (the outbox keeps its entries for the next worker). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #startWanted(): Promise<DrainReport> {
    const trigger = this.#wanted ?? 'timer';
    this.#next = undefined;
    this.#wanted = undefined;
    const pass = this.#pass(trigger)
      .catch((error: unknown): DrainReport => {
        if (process.env.NODE_ENV !== 'production') logger.error(`the outbox drain (${trigger}) failed; the beacons wait for the next one`, error);
        return { trigger, delivered: 0, retried: 0, dropped: 0, unreachable: [], error: messageOf(error) };
      })
      .finally(() => {
        if (this.#current === pass) this.#current = undefined;
      });
    this.#current = pass;
    return pass;
  }

  async #pass(trigger: ReplayTrigger): Promise<DrainReport> {
    this.stop();
    const { concurrency, claimSize, sendTimeoutMs } = this.#settings;
    const state: Pass = {
      report: { trigger, delivered: 0, retried: 0, dropped: 0, unreachable: [] },
      origins: new Map(),
      blocked: new Set(),
      reachable: new Set(),
      settlements: [],
      changed: new Set(),
      outcomes: [],
      writes: [],
      stored: Promise.resolve(),
    };
    const inFlight = new Set<Promise<void>>();
    // A short lease, so that entries a dead worker held are soon due again; a unit whose send could
    // outlast its lease is not sent (see below), so no other drain can claim an entry mid-send.
    const leaseMs = 2 * sendTimeoutMs;
    let released = 0;
    const holder = await this.#holders.self();
    // Once per pass: the leases of senders that died are released by the first claim.
    let liveHolders = await this.#holders.live().catch(() => null);
    try {
      for (;;) {
        if (released > 0) {
          this.#store(state);
          await state.stored;
          released = 0;
        }
        const claimedAt = this.#now();
        const claim = await this.#outbox.claim({
          now: claimedAt,
          limit: claimSize,
          leaseMs,
          skip: state.blocked,
          reachable: state.reachable,
          probeUnreachable: trigger !== 'timer',
          holder,
          ...(liveHolders && { liveHolders }),
        });
        liveHolders = null;
        for (const entry of claim.expired) this.#giveUp(state, entry, 'undelivered when it reached its age limit (maxAgeMs)');
        for (const [origin, known] of claim.origins) if (!state.changed.has(origin)) state.origins.set(origin, known);
        if (claim.entries.length === 0) break;
        for (const unit of packSendUnits(claim.entries)) {
          while (inFlight.size >= concurrency) await Promise.race(inFlight);
          // Its origin failed meanwhile, or its lease could run out during the send (slow sends
          // queued it too long): back in the outbox untried, due as before.
          if (state.blocked.has(unit.origin) || this.#now() + sendTimeoutMs > claimedAt + leaseMs) {
            for (const entry of unit.entries) state.settlements.push({ kind: 'requeue', entry, retried: false });
            released += state.blocked.has(unit.origin) ? 0 : 1;
            continue;
          }
          const sending = this.#send(state, unit, trigger).finally(() => inFlight.delete(sending));
          inFlight.add(sending);
        }
        if (state.settlements.length >= claimSize) this.#store(state);
      }
      await Promise.all(inFlight);
    } finally {
      await Promise.allSettled(inFlight);
      this.#store(state);
      await state.stored;
      await Promise.all(state.writes);
      if (!this.#next) await this.#schedule().catch((error: unknown) => {
        if (process.env.NODE_ENV !== 'production') logger.warn('could not schedule the next drain; the next trigger will do', error);
      });
    }
    state.report.unreachable = [...state.blocked];
    if (state.blocked.size > 0) {
      await Promise.resolve(this.#hooks.onUnreachable?.()).catch((error: unknown) => {
        if (process.env.NODE_ENV !== 'production') logger.warn('could not tell the pages that beacons wait', error);
      });
    }
    return state.report;
  }

  async #send(state: Pass, unit: SendUnit, trigger: ReplayTrigger): Promise<void> {
    const known = state.origins.get(unit.origin);
    const first = unit.entries[0]!;
    const auto = first.delivery === 'auto';
    const mode = first.delivery === 'auto' ? (unit.entries.every((entry) => entry.simple) && known?.cors !== false ? 'cors' : 'no-cors') : first.delivery;
    const time = this.#now();
    const started = performance.now();
    let verdict: Verdict;
    try {
      verdict = await this.#deliver(unit, { mode, credentials: first.credentials, timeoutMs: this.#settings.sendTimeoutMs });
    } catch (error) {
      verdict = { kind: 'retry', status: null, responseType: null, network: true, detail: `send failed: ${messageOf(error)}` };
    }
    const durationMs = performance.now() - started;
    const batched = unit.entries.length > 1 ? `, in a batch of ${unit.entries.length}` : '';
    const facts: SendFacts = { time, durationMs, mode, status: verdict.status, responseType: verdict.responseType, redirected: verdict.kind === 'delivered' && verdict.redirected };
    for (const entry of unit.entries) {
      const sent = { ...entry, sends: entry.sends + 1 };
      const context = `${verdict.detail} (${mode}, trigger ${trigger}${batched}${sent.sends > 1 ? `, send ${sent.sends}` : ''})`;
      if (verdict.kind === 'delivered') {
        state.settlements.push({ kind: 'delivered', entry: sent });
        state.report.delivered += 1;
        this.#write(state, replayOutcome(sent, { kind: 'delivered', ...facts, detail: `delivered: ${context}` }));
      } else if (verdict.kind === 'dropped') {
        this.#drop(state, sent, facts, `dropped: ${context}`);
      } else if (verdict.network) {
        // An outage is the origin's, not the beacon's: no attempt is used up, the origin backs off.
        state.settlements.push({ kind: 'requeue', entry: sent, retried: true });
        state.report.retried += 1;
        this.#write(state, replayOutcome(sent, { kind: 'retry', ...facts, detail: `retry when the origin is reachable: ${context}` }));
      } else {
        this.#retryLater(state, sent, verdict, facts, context);
      }
    }
    this.#learn(state, unit, verdict, auto && mode === 'cors', time);
  }

  /** An answered failure (408, 429, 5xx): uses up an attempt; the next waits for Retry-After or the backoff. */
  #retryLater(state: Pass, entry: OutboxEntry, verdict: Verdict & { kind: 'retry' }, facts: SendFacts, context: string): void {
    const attempts = entry.attempts + 1;
    const { maxAttempts, backoffMs, backoffMaxMs } = entry.retry;
    if (attempts >= maxAttempts) {
      this.#drop(state, { ...entry, attempts }, facts, `dropped after ${attempts} attempts (maxAttempts): ${context}`);
      return;
    }
    // Retry-After is honoured (never earlier); the floor keeps "Retry-After: 0" from looping hot.
    const delay = Math.max(verdict.retryAfterMs ?? backoffDelay(attempts, backoffMs, backoffMaxMs), backoffMs / 2);
    const next = { ...entry, attempts, nextAttemptAt: this.#now() + delay };
    state.settlements.push({ kind: 'requeue', entry: next, retried: true });
    state.report.retried += 1;
    this.#write(state, replayOutcome(next, { kind: 'retry', ...facts, detail: `retry in ${Math.round(delay)} ms, attempt ${attempts} of ${maxAttempts}: ${context}` }));
  }

  #drop(state: Pass, entry: OutboxEntry, facts: SendFacts, detail: string): void {
    state.settlements.push({ kind: 'dropped', entry });
    state.report.dropped += 1;
    this.#write(state, replayOutcome(entry, { kind: 'dropped', ...facts, detail }));
  }

  /** Given up without a send (age limit): counted and logged like a refusal. */
  #giveUp(state: Pass, entry: OutboxEntry, detail: string): void {
    state.report.dropped += 1;
    this.#write(state, givenUpOutcome(entry, this.#now(), detail));
  }

  /** What the send told about its origin: reachable or not, and (auto delivery) whether it speaks CORS. */
  #learn(state: Pass, unit: SendUnit, verdict: Verdict, triedCors: boolean, sentAt: number): void {
    const { origin } = unit;
    const known = state.origins.get(origin) ?? { origin, failures: 0, retryAt: 0, cors: null };
    let updated: OriginState;
    if (verdict.kind === 'retry' && verdict.network) {
      // A step of backoff is taken by the first failure of an outage and by each retry the backoff
      // itself scheduled; a probe sent earlier (a new beacon, the page, a sync) that fails changes
      // nothing. So the backoff grows with the outage's length, never with the traffic during it,
      // and sends in flight together count once.
      const scheduled = known.failures === 0 || known.retryAt <= sentAt;
      const failures = scheduled ? known.failures + 1 : known.failures;
      const { backoffMs, backoffMaxMs } = unit.entries[0]!.retry;
      updated = { ...known, failures, retryAt: scheduled ? this.#now() + backoffDelay(failures, backoffMs, backoffMaxMs) : known.retryAt };
      state.blocked.add(origin);
      state.reachable.delete(origin);
    } else {
      updated = { ...known, failures: 0, retryAt: 0 };
      state.reachable.add(origin);
    }
    if (triedCors && verdict.kind === 'delivered') updated.cors = verdict.cors ?? true;
    state.origins.set(origin, updated);
    state.changed.add(origin);
  }

  /** Hands what is settled so far to the outbox, one transaction after the other. */
  #store(state: Pass): void {
    const settlements = state.settlements.splice(0);
    const outcomes = state.outcomes.splice(0);
    const origins = [...state.changed].map((origin) => state.origins.get(origin)!);
    state.changed.clear();
    if (settlements.length > 0 || origins.length > 0) state.stored = state.stored.then(() => this.#outbox.settle(settlements, origins));
    // A record says what the outbox holds: "delivered" or "dropped" is never read while the entry is
    // still there. A failed settle is the drain's error; the records are written all the same.
    if (outcomes.length === 0) return;
    const write = (): Promise<unknown> => Promise.all(outcomes.map((outcome) => writeOutcome(this.#hooks.sink, outcome)));
    state.writes.push(state.stored.then(write, write).then(() => undefined));
  }

  #write(state: Pass, outcome: Outcome): void {
    state.outcomes.push(outcome);
  }

  /** While the worker lives, drain again when the next entry is due. */
  async #schedule(): Promise<void> {
    const due = await this.#outbox.nextDueAt();
    if (due === null || this.#next) return;
    clearTimeout(this.#timer);
    // The floor keeps an entry that is due but not claimable (a clock step) from spinning the timer.
    this.#timer = setTimeout(() => void this.drain('timer'), Math.max(MIN_TIMER_MS, due - this.#now()));
  }
}
