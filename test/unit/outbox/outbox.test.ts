import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { CrossrouteError } from '../../../src/sw/errors.js';
import { Outbox, type ClaimOptions } from '../../../src/sw/outbox/outbox.js';
import { freshName, makeEntry, ORIGIN } from './make-entry.js';

const LIMITS = { maxEntries: 100, maxBytes: 1_000_000 };
const claimAt = (now: number, more: Partial<ClaimOptions> = {}): ClaimOptions => ({
  now,
  limit: 10,
  leaseMs: 30_000,
  skip: new Set(),
  reachable: new Set(),
  probeUnreachable: false,
  ...more,
});

describe('Outbox', () => {
  it('keeps entries until settled, with counters the page can read', async () => {
    const outbox = new Outbox(freshName());
    const [a, b] = [makeEntry({ queuedAt: 10 }), makeEntry({ queuedAt: 20 })];
    await outbox.add(a, LIMITS);
    await outbox.add(b, LIMITS);
    expect(await outbox.state(LIMITS)).toMatchObject({ entries: 2, bytes: a.bytes + b.bytes, oldestQueuedAt: 10, unreachable: [], totals: { queued: 2 } });
    const { entries } = await outbox.claim(claimAt(100));
    expect(entries.map((e) => e.id).sort()).toEqual([a.id, b.id].sort());
    await outbox.settle([
      { kind: 'delivered', entry: a },
      { kind: 'requeue', entry: { ...b, attempts: 1, nextAttemptAt: 5_000 }, retried: true },
    ]);
    expect(await outbox.state(LIMITS)).toMatchObject({ entries: 1, bytes: b.bytes, totals: { queued: 2, delivered: 1, retried: 1 } });
    expect(await outbox.nextDueAt()).toBe(5_000);
    expect((await outbox.claim(claimAt(4_999))).entries).toEqual([]);
    expect((await outbox.claim(claimAt(5_000))).entries).toMatchObject([{ id: b.id, attempts: 1 }]);
  });

  it('leases what it claims: neither a second claim nor a second worker instance gets the same entry', async () => {
    const name = freshName();
    const [one, two] = [new Outbox(name), new Outbox(name)];
    for (let i = 0; i < 30; i++) await one.add(makeEntry({ queuedAt: i }), LIMITS);
    const claims = await Promise.all([one.claim(claimAt(100)), two.claim(claimAt(100)), one.claim(claimAt(100)), two.claim(claimAt(100))]);
    const ids = claims.flatMap((claim) => claim.entries.map((entry) => entry.id));
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect((await one.claim(claimAt(100))).entries).toEqual([]);
    // A lease runs out: the entries of a sender that died are due again.
    expect((await two.claim(claimAt(100 + 30_000, { limit: 100 }))).entries).toHaveLength(30);
  });

  it('a lease whose holder is gone is released by the next claim that knows the live holders', async () => {
    const outbox = new Outbox(freshName());
    const [a, b] = [makeEntry({ queuedAt: 1 }), makeEntry({ queuedAt: 2 })];
    for (const entry of [a, b]) await outbox.add(entry, LIMITS);
    expect((await outbox.claim(claimAt(10, { limit: 1, holder: 'dead' }))).entries.map((e) => e.id)).toEqual([a.id]);
    expect((await outbox.claim(claimAt(10, { limit: 1, holder: 'alive' }))).entries.map((e) => e.id)).toEqual([b.id]);
    // Without liveness known, both leases hold for their time.
    expect((await outbox.claim(claimAt(20, { holder: 'new' }))).entries).toEqual([]);
    // 'dead' is gone: its entry is due at once, as it was before the lease, and handed out without it.
    const claim = await outbox.claim(claimAt(20, { holder: 'new', liveHolders: new Set(['alive', 'new']) }));
    expect(claim.entries).toEqual([a]);
    expect((await outbox.claim(claimAt(20, { holder: 'new', liveHolders: new Set(['new']) }))).entries).toEqual([b]);
  });

  it('clears every waiting entry, or one origin’s, counted as dropped', async () => {
    const outbox = new Outbox(freshName());
    const other = 'http://127.0.0.2:9000';
    const [a, b, c] = [makeEntry({ queuedAt: 1 }), makeEntry({ queuedAt: 2 }), makeEntry({ queuedAt: 3, origin: other })];
    for (const entry of [a, b, c]) await outbox.add(entry, LIMITS);
    expect((await outbox.clear(other)).map((e) => e.id)).toEqual([c.id]);
    expect(await outbox.state(LIMITS)).toMatchObject({ entries: 2, bytes: a.bytes + b.bytes, totals: { dropped: 1 } });
    expect((await outbox.clear()).map((e) => e.id).sort()).toEqual([a.id, b.id].sort());
    expect(await outbox.state(LIMITS)).toMatchObject({ entries: 0, bytes: 0, totals: { queued: 3, dropped: 3 } });
  });

  it('settling an entry that was evicted meanwhile does not bring it back', async () => {
    const outbox = new Outbox(freshName());
    const limits = { maxEntries: 1, maxBytes: 1_000_000 };
    const first = makeEntry({ queuedAt: 1 });
    await outbox.add(first, limits);
    await outbox.claim(claimAt(10));
    const evicted = await outbox.add(makeEntry({ queuedAt: 2 }), limits);
    expect(evicted.map((e) => e.id)).toEqual([first.id]);
    await outbox.settle([{ kind: 'requeue', entry: first, retried: true }]);
    expect(await outbox.state(limits)).toMatchObject({ entries: 1, totals: { queued: 2, evicted: 1, retried: 0 } });
  });

  it('evicts the oldest entries to fit maxEntries and maxBytes, counting them', async () => {
    const outbox = new Outbox(freshName());
    const entries = [1, 2, 3, 4].map((queuedAt) => makeEntry({ queuedAt }));
    const size = entries[0]!.bytes;
    const limits = { maxEntries: 3, maxBytes: size * 2 + 1 };
    const evicted = [];
    for (const entry of entries) evicted.push(...(await outbox.add(entry, limits)));
    expect(evicted.map((e) => e.queuedAt)).toEqual([1, 2]);
    expect(await outbox.state(limits)).toMatchObject({ entries: 2, bytes: size * 2, oldestQueuedAt: 3, totals: { queued: 4, evicted: 2 } });
  });

  it('refuses a beacon larger than the whole outbox may hold', async () => {
    const outbox = new Outbox(freshName());
    const big = makeEntry({ text: 'x'.repeat(2000) });
    await expect(outbox.add(big, { maxEntries: 10, maxBytes: 1024 })).rejects.toThrow(CrossrouteError);
    await expect(outbox.add(big, { maxEntries: 10, maxBytes: 1024 })).rejects.toThrow(/more than the outbox's maxBytes \(1024\)/);
  });

  it('removes entries past their age limit when it claims, counting them as dropped', async () => {
    const outbox = new Outbox(freshName());
    const old = makeEntry({ queuedAt: 1, expiresAt: 50 });
    const fresh = makeEntry({ queuedAt: 2 });
    await outbox.add(old, LIMITS);
    await outbox.add(fresh, LIMITS);
    const claim = await outbox.claim(claimAt(100));
    expect(claim.expired.map((e) => e.id)).toEqual([old.id]);
    expect(claim.entries.map((e) => e.id)).toEqual([fresh.id]);
    expect(await outbox.state(LIMITS)).toMatchObject({ entries: 1, totals: { dropped: 1 } });
  });

  it('an unreachable origin waits for its retryAt, or gives one probe entry when asked', async () => {
    const outbox = new Outbox(freshName());
    const other = 'http://127.0.0.2:9000';
    for (let i = 0; i < 3; i++) await outbox.add(makeEntry({ queuedAt: i }), LIMITS);
    await outbox.add(makeEntry({ queuedAt: 5, origin: other }), LIMITS);
    await outbox.settle([], [{ origin: ORIGIN, failures: 2, retryAt: 10_000, cors: null }]);
    expect(await outbox.nextDueAt()).toBe(5);
    const claim = await outbox.claim(claimAt(100));
    expect(claim.entries.map((e) => e.origin)).toEqual([other]);
    expect(claim.origins.get(ORIGIN)).toMatchObject({ failures: 2, retryAt: 10_000 });
    expect(await outbox.state(LIMITS)).toMatchObject({ unreachable: [{ origin: ORIGIN, failures: 2, retryAt: 10_000 }] });
    expect(await outbox.nextDueAt()).toBe(10_000);
    expect((await outbox.claim(claimAt(100, { probeUnreachable: true }))).entries).toHaveLength(1);
    expect((await outbox.claim(claimAt(100, { reachable: new Set([ORIGIN]) }))).entries).toHaveLength(2);
  });

  it('skips origins found unreachable during the drain', async () => {
    const outbox = new Outbox(freshName());
    await outbox.add(makeEntry(), LIMITS);
    expect((await outbox.claim(claimAt(100, { skip: new Set([ORIGIN]), probeUnreachable: true }))).entries).toEqual([]);
  });

  it('shares a claim fairly between origins', async () => {
    const outbox = new Outbox(freshName());
    const other = 'http://127.0.0.2:9000';
    for (let i = 0; i < 10; i++) {
      await outbox.add(makeEntry({ queuedAt: i }), LIMITS);
      await outbox.add(makeEntry({ queuedAt: i, origin: other }), LIMITS);
    }
    const { entries } = await outbox.claim(claimAt(100, { limit: 6 }));
    expect(entries.filter((e) => e.origin === other)).toHaveLength(3);
    expect(entries.filter((e) => e.origin === ORIGIN)).toHaveLength(3);
  });

  it('a beacon waiting for a batch joins the window already open for its key', async () => {
    const outbox = new Outbox(freshName());
    const batch = { key: 'k', format: 'ndjson', endpoint: `${ORIGIN}/c`, maxEntries: 50, maxBytes: 65_536 };
    await outbox.add(makeEntry({ queuedAt: 0, nextAttemptAt: 1000, batch }), LIMITS);
    await outbox.add(makeEntry({ queuedAt: 400, nextAttemptAt: 1400, batch }), LIMITS);
    await outbox.add(makeEntry({ queuedAt: 400, nextAttemptAt: 1400, batch: { ...batch, key: 'other' } }), LIMITS);
    // After the window closed, a new one opens.
    await outbox.add(makeEntry({ queuedAt: 1200, nextAttemptAt: 2200, batch }), LIMITS);
    expect((await outbox.claim(claimAt(1000))).entries.map((e) => e.queuedAt).sort()).toEqual([0, 400]);
    expect((await outbox.claim(claimAt(1400))).entries.map((e) => e.batch!.key)).toEqual(['other']);
    expect((await outbox.claim(claimAt(2199))).entries).toEqual([]);
  });
});
