import type { OutcomeSink } from '../contract/outcome-sink.js';
import { writeOutcome } from '../outcome/write-outcome.js';
import { Drainer, type DrainSettings } from './drainer.js';
import { Outbox } from './outbox.js';
import type { OutboxEntry, OutboxLimits } from './outbox-entry.js';
import { givenUpOutcome } from './replay-outcome.js';
import { listenForReplayTriggers, requestBackgroundSync, tellPagesBeaconsWait } from './replay-triggers.js';

/** Outbox-wide settings; every beacon rule may ask for less, and the smallest value wins. */
export type OutboxSettings = OutboxLimits & Pick<DrainSettings, 'concurrency'>;

// maxBytes: 20 MiB, as a literal (see KEEPALIVE_BUDGET).
export const DEFAULT_OUTBOX_SETTINGS: Readonly<OutboxSettings> = { maxEntries: 50_000, maxBytes: 20_971_520, concurrency: 6 };

// Claims of 64 entries keep the transactions few; 15 s is long for a beacon to a live origin.
const CLAIM_SIZE = 64;
const SEND_TIMEOUT_MS = 15_000;

/** The one outbox and drainer that all beacon rules of a setup share. */
export class BeaconRuntime {
  readonly outbox = new Outbox();
  readonly limits: OutboxLimits;
  readonly drainer: Drainer;
  readonly #settings: DrainSettings;
  readonly #sink: OutcomeSink;

  constructor(sink: OutcomeSink) {
    this.#sink = sink;
    this.limits = { maxEntries: DEFAULT_OUTBOX_SETTINGS.maxEntries, maxBytes: DEFAULT_OUTBOX_SETTINGS.maxBytes };
    this.#settings = { concurrency: DEFAULT_OUTBOX_SETTINGS.concurrency, claimSize: CLAIM_SIZE, sendTimeoutMs: SEND_TIMEOUT_MS };
    this.drainer = new Drainer(this.outbox, this.#settings, {
      sink,
      onUnreachable() {
        requestBackgroundSync();
        return tellPagesBeaconsWait();
      },
    });
  }

  /** A beacon rule's outbox settings: the strictest of all rules apply. */
  restrict(settings: OutboxSettings): void {
    this.limits.maxEntries = Math.min(this.limits.maxEntries, settings.maxEntries);
    this.limits.maxBytes = Math.min(this.limits.maxBytes, settings.maxBytes);
    this.#settings.concurrency = Math.min(this.#settings.concurrency, settings.concurrency);
  }

  /**
   * Stores the beacon durably. What had to be evicted to make room is logged as dropped; the
   * returned promise covers those writes, for the caller's waitUntil: the page's answer does not wait
   * for them, and a failing sink cannot turn a stored beacon into a failed (and re-sent) request.
   */
  async queue(entry: OutboxEntry): Promise<{ logged: Promise<unknown> }> {
    const evicted = await this.outbox.add(entry, this.limits);
    const now = Date.now();
    const detail = `evicted, oldest first, to make room for beacon ${entry.id}: the outbox was full (maxEntries ${this.limits.maxEntries}, maxBytes ${this.limits.maxBytes})`;
    return { logged: Promise.allSettled(evicted.map((old) => writeOutcome(this.#sink, givenUpOutcome(old, now, detail)))) };
  }

  /** The page's clearOutbox(): waiting beacons removed (all, or one origin's), each logged as dropped. */
  async clear(origin?: string): Promise<number> {
    const removed = await this.outbox.clear(origin);
    const now = Date.now();
    await Promise.allSettled(removed.map((entry) => writeOutcome(this.#sink, givenUpOutcome(entry, now, 'cleared by the page (clearOutbox), undelivered'))));
    return removed.length;
  }
}

const runtimes = new WeakMap<OutcomeSink, BeaconRuntime>();

/**
 * The runtime of the setup that owns `sink`, created (and its replay triggers registered) by the
 * first beacon rule; the other rules share it.
 */
export function beaconRuntime(sink: OutcomeSink): BeaconRuntime {
  let runtime = runtimes.get(sink);
  if (!runtime) {
    runtime = new BeaconRuntime(sink);
    runtimes.set(sink, runtime);
    listenForReplayTriggers(runtime);
  }
  return runtime;
}
