import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Outcome } from '../../../src/model/outcome.js';
import type { SendOptions, Verdict } from '../../../src/sw/outbox/deliver.js';
import { Drainer, type DrainerHooks } from '../../../src/sw/outbox/drainer.js';
import { Outbox } from '../../../src/sw/outbox/outbox.js';
import type { OutboxEntry } from '../../../src/sw/outbox/outbox-entry.js';
import type { SendUnit } from '../../../src/sw/outbox/send-unit.js';
import { freshName, makeEntry, ORIGIN } from './make-entry.js';

const LIMITS = { maxEntries: 10_000, maxBytes: 10_000_000 };
const NOW = 1_000_000;
const delivered: Verdict = { kind: 'delivered', status: 0, responseType: 'opaque', redirected: false, detail: 'opaque' };
const offline: Verdict = { kind: 'retry', status: null, responseType: null, network: true, detail: 'network: TypeError' };
const answered = (status: number, retryAfterMs?: number): Verdict =>
  status >= 400 && status < 500 && status !== 408 && status !== 429
    ? { kind: 'dropped', status, responseType: 'cors', detail: `answered ${status}` }
    : { kind: 'retry', status, responseType: 'cors', network: false, ...(retryAfterMs !== undefined && { retryAfterMs }), detail: `answered ${status}` };

/** A network that answers `verdict(unit)` after `delayMs`, and records what was sent and how much at once. */
function fakeNetwork(verdict: (unit: SendUnit, options: SendOptions) => Verdict = () => delivered, delayMs = 2) {
  const sent: Array<{ ids: string[]; mode: string }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    sent,
    maxInFlight: () => maxInFlight,
    sentIds: () => sent.flatMap((s) => s.ids),
    async deliver(unit: SendUnit, options: SendOptions): Promise<Verdict> {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      sent.push({ ids: unit.entries.map((e) => e.id), mode: options.mode });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      inFlight -= 1;
      return verdict(unit, options);
    },
  };
}

const drainers: Drainer[] = [];
function setup(network: ReturnType<typeof fakeNetwork>, outbox = new Outbox(freshName()), hooks: Partial<DrainerHooks> = {}) {
  const outcomes: Outcome[] = [];
  let unreachableCalls = 0;
  const drainer = new Drainer(outbox, { concurrency: 3, claimSize: 8, sendTimeoutMs: 15_000 }, {
    sink: { write: (outcome) => void outcomes.push(outcome) },
    onUnreachable: () => void (unreachableCalls += 1),
    deliver: (unit, options) => network.deliver(unit, options),
    now: () => NOW,
    ...hooks,
  });
  drainers.push(drainer);
  return { outbox, drainer, outcomes, unreachableCalls: () => unreachableCalls };
}
async function fill(outbox: Outbox, n: number, more: Partial<OutboxEntry> = {}): Promise<OutboxEntry[]> {
  const entries = Array.from({ length: n }, (_, i) => makeEntry({ queuedAt: NOW - 1000 + i, ...more }));
  for (const entry of entries) await outbox.add(entry, LIMITS);
  return entries;
}

afterEach(() => {
  for (const drainer of drainers.splice(0)) drainer.stop();
});

describe('Drainer', () => {
  it('sends every due entry once, never more than `concurrency` at a time, and empties the outbox', async () => {
    const network = fakeNetwork();
    const { outbox, drainer, outcomes } = setup(network);
    const entries = await fill(outbox, 25);
    const report = await drainer.drain('start');
    expect(report).toMatchObject({ trigger: 'start', delivered: 25, retried: 0, dropped: 0, unreachable: [] });
    expect(network.sentIds().sort()).toEqual(entries.map((e) => e.id).sort());
    expect(network.maxInFlight()).toBe(3);
    expect(outcomes.map((o) => o.kind)).toEqual(Array(25).fill('delivered'));
    expect(outcomes[0]).toMatchObject({ policy: 'beacon', mode: 'no-cors', status: 0, responseType: 'opaque', ruleIndex: 0, targetOrigin: ORIGIN });
    expect(outcomes[0]!.detail).toMatch(/^beacon [0-9a-f-]{36}: delivered: opaque \(no-cors, trigger start\)$/);
    expect(outcomes.map((o) => o.beaconId).sort()).toEqual(entries.map((e) => e.id).sort());
    expect(await outbox.state(LIMITS)).toMatchObject({ entries: 0, totals: { queued: 25, delivered: 25 } });
  });

  it('a delivered or dropped record is written only once the outbox no longer holds its entry', async () => {
    const network = fakeNetwork((unit) => (unit.entries[0]!.url.endsWith('?drop') ? answered(400) : delivered));
    const outbox = new Outbox(freshName());
    const held: Array<{ kind: string; entries: number }> = [];
    const { drainer } = setup(network, outbox, {
      // The record and the outbox are read at the moment the record is written.
      sink: { write: async (outcome) => void held.push({ kind: outcome.kind, entries: (await outbox.state(LIMITS)).entries }) },
    });
    await fill(outbox, 3);
    await fill(outbox, 2, { url: 'https://collector.example/e?drop' });
    await drainer.drain('start');
    expect(held.map((h) => h.kind).sort()).toEqual(['delivered', 'delivered', 'delivered', 'dropped', 'dropped']);
    expect(held.map((h) => h.entries)).toEqual([0, 0, 0, 0, 0]);
  });

  it('an outage stops sending to the origin: the rest stay untried, no attempt is used up, the origin backs off', async () => {
    const network = fakeNetwork(() => offline);
    const { outbox, drainer, outcomes, unreachableCalls } = setup(network);
    await fill(outbox, 20);
    const report = await drainer.drain('request');
    expect(report.unreachable).toEqual([ORIGIN]);
    // At most one round of parallel sends went out before the origin was known down.
    expect(network.sent.length).toBeLessThanOrEqual(3);
    expect(outcomes.every((o) => o.kind === 'retry' && o.detail!.includes('retry when the origin is reachable'))).toBe(true);
    expect(unreachableCalls()).toBe(1);
    const state = await outbox.state(LIMITS);
    expect(state).toMatchObject({ entries: 20, unreachable: [{ origin: ORIGIN, failures: 1 }] });
    expect(state.unreachable[0]!.retryAt).toBeGreaterThanOrEqual(NOW + 500);
    const { entries } = await outbox.claim({ now: NOW, limit: 100, leaseMs: 1, skip: new Set(), reachable: new Set([ORIGIN]), probeUnreachable: false });
    expect(entries.every((e) => e.attempts === 0)).toBe(true);
    expect(entries.filter((e) => e.sends === 1)).toHaveLength(network.sent.length);
  });

  it('the timer respects an unreachable origin’s backoff; other triggers probe it with one beacon, then send the rest', async () => {
    let up = false;
    const network = fakeNetwork(() => (up ? delivered : offline));
    const { outbox, drainer } = setup(network);
    await fill(outbox, 10);
    await drainer.drain('request');
    const tried = network.sent.length;
    up = true;
    expect(await drainer.drain('timer')).toMatchObject({ delivered: 0 });
    expect(network.sent.length).toBe(tried);
    expect(await drainer.drain('online')).toMatchObject({ delivered: 10, unreachable: [] });
    expect(network.sent[tried]!.ids).toHaveLength(1);
    expect(await outbox.state(LIMITS)).toMatchObject({ entries: 0, unreachable: [] });
  });

  it('an outage counts once however many triggers probe it; only the backoff’s own retries add a step', async () => {
    let now = NOW;
    const network = fakeNetwork(() => offline);
    const { outbox, drainer } = setup(network, undefined, { now: () => now });
    await fill(outbox, 20);
    // Twenty beacons intercepted during the outage: twenty request-triggered probes, one step.
    for (let i = 0; i < 20; i++) {
      now += 10;
      await drainer.drain('request');
    }
    const [first] = (await outbox.state(LIMITS)).unreachable;
    expect(first).toMatchObject({ origin: ORIGIN, failures: 1 });
    expect(first!.retryAt).toBeLessThanOrEqual(NOW + 10 + 1000);
    // The retry the backoff scheduled fails: a second step.
    now = first!.retryAt;
    await drainer.drain('timer');
    expect((await outbox.state(LIMITS)).unreachable).toMatchObject([{ failures: 2 }]);
  });

  it('an answered failure uses an attempt and waits for Retry-After or the backoff; the last attempt drops it', async () => {
    const statuses = new Map<string, number>();
    const network = fakeNetwork((unit) => answered(statuses.get(unit.entries[0]!.id)!, unit.entries[0]!.attempts === 0 ? 5000 : undefined));
    const { outbox, drainer, outcomes } = setup(network);
    const [busy, gone, broken] = await fill(outbox, 3, { delivery: 'cors' });
    statuses.set(busy!.id, 429).set(gone!.id, 404).set(broken!.id, 500);
    expect(await drainer.drain('request')).toMatchObject({ retried: 2, dropped: 1 });
    expect(outcomes.find((o) => o.status === 404)).toMatchObject({ kind: 'dropped', mode: 'cors' });
    const retry429 = outcomes.find((o) => o.status === 429)!;
    expect(retry429.detail).toContain('retry in 5000 ms, attempt 1 of 3');
    const { entries } = await outbox.claim({ now: NOW + 5000, limit: 10, leaseMs: 1, skip: new Set(), reachable: new Set(), probeUnreachable: false });
    expect(entries.map((e) => [e.id, e.attempts, e.nextAttemptAt]).sort()).toEqual([[busy!.id, 1, NOW + 5000], [broken!.id, 1, NOW + 5000]].sort());

    // Without Retry-After the backoff applies; on the third answered failure the beacon is dropped.
    const later = setup(network, outbox, { now: () => NOW + 100_000 });
    await later.drainer.drain('request');
    await setup(network, outbox, { now: () => NOW + 200_000 }).drainer.drain('request');
    const all = [...outcomes, ...later.outcomes];
    expect(all.filter((o) => o.kind === 'retry' && o.status === 500)).toHaveLength(2);
    expect(await outbox.state(LIMITS)).toMatchObject({ entries: 0, totals: { dropped: 3, delivered: 0 } });
  });

  it('drains started together run one after the other: no beacon is sent twice', async () => {
    const network = fakeNetwork(() => delivered, 5);
    const { outbox, drainer } = setup(network);
    const entries = await fill(outbox, 40);
    const first = drainer.drain('request');
    await new Promise((resolve) => setTimeout(resolve, 3));
    // Asked for while the first drain runs: they share one more pass after it.
    const later = ['online', 'sync', 'request', 'timer'].map((trigger) => drainer.drain(trigger as 'online'));
    const [report, ...others] = await Promise.all([first, ...later]);
    expect(report).toMatchObject({ trigger: 'request', delivered: 40 });
    expect(new Set(others)).toEqual(new Set([others[0]]));
    // Named after the trigger that comes first in precedence (the browser's Background Sync).
    expect(others[0]).toMatchObject({ trigger: 'sync', delivered: 0 });
    expect(network.sentIds().sort()).toEqual(entries.map((e) => e.id).sort());
  });

  it('two worker instances draining one outbox at once never send the same beacon', async () => {
    const network = fakeNetwork(() => delivered, 3);
    const name = freshName();
    const first = setup(network, new Outbox(name));
    const second = setup(network, new Outbox(name));
    const entries = await fill(first.outbox, 60);
    await Promise.all([first.drainer.drain('start'), second.drainer.drain('start')]);
    expect(network.sentIds()).toHaveLength(60);
    expect(new Set(network.sentIds())).toEqual(new Set(entries.map((e) => e.id)));
  });

  it('auto delivery tries cors on a simple beacon, and sends no-cors once the origin refused CORS', async () => {
    const network = fakeNetwork((unit, { mode }) => (mode === 'cors' ? { ...delivered, cors: false } : delivered));
    const { outbox, drainer } = setup(network);
    await fill(outbox, 1, { delivery: 'auto' });
    await drainer.drain('request');
    await fill(outbox, 1, { delivery: 'auto' });
    await fill(outbox, 1, { delivery: 'auto', simple: false });
    await drainer.drain('request');
    expect(network.sent.map((s) => s.mode)).toEqual(['cors', 'no-cors', 'no-cors']);
    expect((await outbox.claim({ now: NOW, limit: 1, leaseMs: 1, skip: new Set(), reachable: new Set(), probeUnreachable: true })).origins.get(ORIGIN)).toMatchObject({ cors: false });
  });

  it('reports beacons past their age limit as dropped, unsent', async () => {
    const network = fakeNetwork();
    const { outbox, drainer, outcomes } = setup(network);
    await fill(outbox, 2, { expiresAt: NOW - 1 });
    expect(await drainer.drain('start')).toMatchObject({ dropped: 2, delivered: 0 });
    expect(network.sent).toEqual([]);
    expect(outcomes.map((o) => [o.kind, o.status])).toEqual([['dropped', null], ['dropped', null]]);
    expect(outcomes[0]!.detail).toContain('age limit');
  });

  it('a failing outcome sink loses the record, never the beacon', async () => {
    const network = fakeNetwork();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { outbox, drainer } = setup(network, undefined, { sink: { write: () => Promise.reject(new Error('sink down')) } });
    await fill(outbox, 3);
    expect(await drainer.drain('start')).toMatchObject({ delivered: 3 });
    expect(await outbox.state(LIMITS)).toMatchObject({ entries: 0 });
    expect(logged).toHaveBeenCalledTimes(3);
    logged.mockRestore();
  });

  it('batches what shares a batch key into one send', async () => {
    const network = fakeNetwork();
    const { outbox, drainer, outcomes } = setup(network);
    const batch = { key: 'k', format: 'ndjson', endpoint: `${ORIGIN}/c`, maxEntries: 4, maxBytes: 65_536 };
    await fill(outbox, 10, { batch });
    await drainer.drain('start');
    expect(network.sent.map((s) => s.ids.length).sort()).toEqual([2, 4, 4]);
    expect(outcomes.filter((o) => o.detail!.includes('in a batch of 4'))).toHaveLength(8);
  });
});
