import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Outcome, OutcomeKind } from '../../../src/model/outcome.js';
import { exportNdjson } from '../../../src/log/export-ndjson.js';
import { queryOutcomes, type OutcomeQuery, type OutcomePage } from '../../../src/log/query.js';
import { LOG_DB_NAME } from '../../../src/log/schema.js';
import { summarizeLog } from '../../../src/log/summarize.js';
import { OutcomeLog } from '../../../src/sw/log/outcome-log.js';
import { MemorySink } from '../../../src/sw/outcome/memory-sink.js';
import { openOutcomeLog } from '../../../src/client/log/open-outcome-log.js';

/** Reads the worker's log as an app's worker code would: a function over its database. */
const query = async (log: OutcomeLog, q?: OutcomeQuery): Promise<OutcomePage> => queryOutcomes(await log.database(), q);

const nextTask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Waits, task by task (not by timers, which a test may fake), until `done` holds; at most 10,000 tasks. */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    if (await done()) return;
    await nextTask();
  }
  throw new Error('gave up waiting');
}

let seq = 0;
// Recent times: records older than maxAgeSeconds (7 days by default) are pruned on write.
const T = Date.now() - 3_600_000;
function outcome(over: Partial<Outcome> = {}): Outcome {
  seq++;
  return {
    id: `id-${seq}`,
    time: T + seq,
    url: 'https://a.test/x',
    targetOrigin: 'https://a.test',
    method: 'GET',
    mode: 'cors',
    destination: '',
    ruleIndex: 0,
    policy: 'cors',
    kind: 'ok',
    responseType: 'cors',
    status: 200,
    durationMs: seq,
    redirected: false,
    ...over,
  };
}

beforeEach(() => {
  // A fresh IndexedDB per test.
  globalThis.indexedDB = new IDBFactory();
});

describe('OutcomeLog (worker side)', () => {
  it('writes a burst in batches: one transaction per batchSize, every record kept, in order', async () => {
    const log = new OutcomeLog({ batchSize: 100, flushDelaySeconds: 10, channelName: false });
    const writes = Array.from({ length: 1000 }, () => log.write(outcome()));
    await Promise.all(writes);
    const { outcomes } = await query(log, { limit: 10_000, order: 'oldest' });
    expect(outcomes).toHaveLength(1000);
    expect(outcomes.map((o) => o.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  });

  it('closes a batch once no outcome has come for 50 ms, and flushDelaySeconds after its first at the latest', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const log = new OutcomeLog({ flushDelaySeconds: 0.2, channelName: false });
      const flush = log.flush.bind(log);
      const closedAt: number[] = [];
      vi.spyOn(log, 'flush').mockImplementation(() => (closedAt.push(performance.now()), flush()));
      let start = performance.now();
      void log.write(outcome());
      vi.advanceTimersByTime(49);
      expect(closedAt).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(closedAt.map((at) => at - start)).toEqual([50]);
      // One outcome every 20 ms never leaves 50 ms of quiet: batches close at 200 ms of age.
      closedAt.length = 0;
      start = performance.now();
      for (let t = 0; t <= 400; t += 20) {
        void log.write(outcome());
        vi.advanceTimersByTime(20);
      }
      expect(closedAt.map((at) => at - start)).toEqual([200, 400]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('announces stored records on its BroadcastChannel: what is stored within 50 ms of the first, in one message at 50 ms', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const posted: unknown[] = [];
    const post = vi.spyOn(BroadcastChannel.prototype, 'postMessage').mockImplementation((data: unknown) => void posted.push(data));
    try {
      const log = new OutcomeLog({ batchSize: 2, channelName: 'test-channel' });
      const storedCount = (n: number) => until(async () => (await query(log)).outcomes.length === n);
      const written = [log.write(outcome({ id: 'a' })), log.write(outcome({ id: 'b' }))];
      await storedCount(2);
      // A batch stored 30 ms after the first joins it; the message does not wait 50 ms more for it.
      await vi.advanceTimersByTimeAsync(30);
      written.push(log.write(outcome({ id: 'c' })));
      await storedCount(3);
      await vi.advanceTimersByTimeAsync(19);
      expect(posted).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      const ids = (...names: string[]) => names.map((id) => expect.objectContaining({ id }));
      expect(posted).toEqual([{ type: 'crossroute:outcomes', outcomes: ids('a', 'b', 'c') }]);
      await Promise.all(written);
      // The next record starts the next message.
      const d = log.write(outcome({ id: 'd' }));
      await storedCount(4);
      await vi.advanceTimersByTimeAsync(50);
      await d;
      expect(posted).toEqual([{ type: 'crossroute:outcomes', outcomes: ids('a', 'b', 'c') }, { type: 'crossroute:outcomes', outcomes: ids('d') }]);
    } finally {
      post.mockRestore();
      vi.useRealTimers();
    }
  });

  it('resolves write() and clear() only once what was stored is announced, and clears after the announcement', async () => {
    const posted: string[] = [];
    const post = vi.spyOn(BroadcastChannel.prototype, 'postMessage').mockImplementation((data: unknown) => {
      posted.push(...(data as { outcomes: Outcome[] }).outcomes.map((o) => o.id));
    });
    const clear = vi.spyOn(IDBObjectStore.prototype, 'clear');
    try {
      const log = new OutcomeLog({ channelName: 'posted-channel' });
      await log.write(outcome({ id: 'a' }));
      // Within the fetch event's waitUntil, which holds the write.
      expect(posted).toEqual(['a']);
      void log.write(outcome({ id: 'b' }));
      await log.clear();
      expect(posted).toEqual(['a', 'b']);
      // Announced before the clear deleted it, not after.
      expect(Math.max(...post.mock.invocationCallOrder)).toBeLessThan(clear.mock.invocationCallOrder[0]!);
      expect((await query(log)).outcomes).toEqual([]);
    } finally {
      post.mockRestore();
      clear.mockRestore();
    }
  });

  it('counts a batch as stored when reading the oldest record fails after it (not as dropped)', async () => {
    const log = new OutcomeLog({ channelName: false });
    const cursor = vi.spyOn(IDBIndex.prototype, 'openKeyCursor').mockImplementationOnce(() => {
      throw new DOMException('the disk is busy', 'UnknownError');
    });
    try {
      await log.write(outcome({ id: 'kept' }));
      expect(log.status).toEqual(expect.objectContaining({ dropped: 0, reason: expect.stringMatching(/^pruning the log failed: .*the disk is busy/) }));
      expect((await query(log)).outcomes.map((o) => o.id)).toEqual(['kept']);
    } finally {
      cursor.mockRestore();
    }
  });

  it('announces each record with the seq it is stored under, also after a clear and when a batch trims the oldest', async () => {
    const announced = new Map<string, number>();
    const listener = new BroadcastChannel('seq-channel');
    listener.onmessage = (event) => {
      for (const o of (event.data as { outcomes: Array<{ id: string; seq: number }> }).outcomes) announced.set(o.id, o.seq);
    };
    const log = new OutcomeLog({ maxEntries: 20, batchSize: 7, channelName: 'seq-channel' });
    await Promise.all(Array.from({ length: 10 }, () => log.write(outcome())));
    // The key generator is not reset by a clear: the next seq is 11, not 1.
    await log.clear();
    await Promise.all(Array.from({ length: 40 }, () => log.write(outcome())));
    await vi.waitFor(() => expect(announced.size).toBe(50));
    listener.close();
    const stored = (await query(log, { limit: 10_000, order: 'oldest' })).outcomes;
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.map((o) => [o.id, announced.get(o.id)])).toEqual(stored.map((o) => [o.id, o.seq]));
    expect(new Set(announced.values()).size).toBe(50);
    expect(Math.max(...announced.values())).toBe(50);
  });

  it('stores and announces URLs redacted: no fragment, no secret parameter value, also in detail', async () => {
    const received: Array<{ outcomes: Outcome[] }> = [];
    const listener = new BroadcastChannel('test-redact');
    listener.onmessage = (event) => received.push(event.data);
    const log = new OutcomeLog({ batchSize: 1, channelName: 'test-redact' });
    await log.write(outcome({ id: 'r', url: 'https://a.test/cb?code=c1&state=s#access_token=t', detail: 'upstream 200 at https://b.test/x?token=t2' }));
    await vi.waitFor(() => expect(received).toHaveLength(1));
    listener.close();
    const expected = { url: 'https://a.test/cb?code=redacted&state=s', detail: 'upstream 200 at https://b.test/x?token=redacted' };
    expect((await query(log)).outcomes).toEqual([expect.objectContaining(expected)]);
    expect(received[0]!.outcomes).toEqual([expect.objectContaining(expected)]);
    expect(JSON.stringify([await query(log), received])).not.toMatch(/c1|t2|access_token=t/);
  });

  it('announces batches in the order they were stored, even before it knows the record count', async () => {
    const received: number[] = [];
    const listener = new BroadcastChannel('order-channel');
    listener.onmessage = (event) => received.push(...(event.data as { outcomes: Array<{ seq: number }> }).outcomes.map((o) => o.seq));
    const log = new OutcomeLog({ channelName: 'order-channel' });
    const written: Array<Promise<void>> = [];
    // One batch per task, as fetch events arrive, all in flight before the first is stored.
    for (let i = 0; i < 20; i++) {
      written.push(log.write(outcome()));
      await nextTask();
    }
    await Promise.all(written);
    await vi.waitFor(() => expect(received).toHaveLength(20));
    listener.close();
    expect(received).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('prunes to maxEntries, oldest first', async () => {
    const log = new OutcomeLog({ maxEntries: 50, batchSize: 10, channelName: false });
    await Promise.all(Array.from({ length: 200 }, () => log.write(outcome())));
    const { outcomes } = await query(log, { limit: 1000, order: 'oldest' });
    expect(outcomes.length).toBeGreaterThanOrEqual(50);
    expect(outcomes.length).toBeLessThanOrEqual(55); // pruned in batches: up to 10% over between prunes
    expect(outcomes[outcomes.length - 1]!.seq).toBe(200);
  });

  /** 6,000 records in bursts of 100 per task; the log's size read between every two bursts. */
  async function burstCounts(log: OutcomeLog): Promise<number[]> {
    const reader = await openDB(LOG_DB_NAME);
    const writes: Promise<void>[] = [];
    const counts: Promise<number>[] = [];
    // A count is taken in transaction order: a read waits for the writes created before it.
    for (let burst = 0; burst < 60; burst++) {
      for (let i = 0; i < 100; i++) writes.push(log.write(outcome()));
      await new Promise((resolve) => setTimeout(resolve, 0));
      counts.push(reader.count('outcomes'));
    }
    await Promise.all(writes);
    counts.push(reader.count('outcomes'));
    const seen = await Promise.all(counts);
    reader.close();
    return seen;
  }

  it('holds maxEntries within 10% at every moment of a 6,000-record burst (pruned inside the writing transaction)', async () => {
    const log = new OutcomeLog({ maxEntries: 500, channelName: false });
    await log.write(outcome());
    const seen = await burstCounts(log);
    expect(Math.max(...seen)).toBeLessThanOrEqual(550);
    expect(seen.at(-1)).toBeGreaterThanOrEqual(500);
    const { outcomes } = await query(log, { limit: 1, order: 'newest' });
    expect(outcomes[0]!.id).toBe(`id-${seq}`);
  });

  it('holds maxEntries within 10% when a burst meets a worker that has not counted a full log yet', async () => {
    const seed = new OutcomeLog({ maxEntries: 500, channelName: false });
    await Promise.all(Array.from({ length: 500 }, () => seed.write(outcome())));
    // A new worker's first transactions are in flight before the first count is back.
    const seen = await burstCounts(new OutcomeLog({ maxEntries: 500, channelName: false }));
    expect(Math.max(...seen)).toBeLessThanOrEqual(550);
    expect(seen.at(-1)).toBeGreaterThanOrEqual(500);
  });

  it('holds maxEntries within 10% when small batches meet a worker that has not counted a full log yet (added to the count in flight)', async () => {
    const seed = new OutcomeLog({ maxEntries: 500, channelName: false });
    await Promise.all(Array.from({ length: 500 }, () => seed.write(outcome())));
    // Batches of 10: while a count is out, the next 5 commit at once and are added to it.
    const log = new OutcomeLog({ maxEntries: 500, batchSize: 10, channelName: false });
    const reader = await openDB(LOG_DB_NAME);
    const counts: Promise<number>[] = [];
    for (let burst = 0; burst < 30; burst++) {
      const writes: Promise<void>[] = [];
      for (let batch = 0; batch < 10; batch++) {
        writes.push(...Array.from({ length: 10 }, () => log.write(outcome())));
        // A few microtask turns: the batch's transaction is created, then the read queues behind it.
        for (let turn = 0; turn < 10; turn++) await Promise.resolve();
        counts.push(reader.count('outcomes'));
      }
      await Promise.all(writes);
    }
    const seen = await Promise.all(counts);
    reader.close();
    expect(Math.max(...seen)).toBeLessThanOrEqual(550);
    expect(seen.at(-1)).toBeGreaterThanOrEqual(500);
  });

  it('commits each batch before its adds have run, not a round trip later (a stop then finds no transaction queued uncommitted)', async () => {
    const log = new OutcomeLog({ flushDelaySeconds: 0, channelName: false });
    const { add } = IDBObjectStore.prototype;
    const { commit } = IDBTransaction.prototype;
    const requests = new Map<IDBTransaction, IDBRequest[]>();
    const addsPendingAtCommit: boolean[] = [];
    const adding = vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
      const request = add.apply(this, args);
      requests.set(this.transaction, [...(requests.get(this.transaction) ?? []), request]);
      return request;
    });
    const committing = vi.spyOn(IDBTransaction.prototype, 'commit').mockImplementation(function (this: IDBTransaction) {
      const adds = requests.get(this);
      if (adds) addsPendingAtCommit.push(adds.every((r) => r.readyState === 'pending'));
      commit.call(this);
    });
    try {
      // A new worker: five batches reach the database before the first count is back.
      const writes: Promise<void>[] = [];
      for (let i = 0; i < 5; i++) {
        writes.push(log.write(outcome()));
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      await Promise.all(writes);
      // Then with the count known.
      for (let i = 0; i < 3; i++) await log.write(outcome());
      await Promise.all(Array.from({ length: 20 }, () => log.write(outcome())));
    } finally {
      adding.mockRestore();
      committing.mockRestore();
    }
    // The first transaction counts the log after its adds, then commits; every other one commits at once.
    expect(addsPendingAtCommit.sort()).toEqual([false, true, true, true, true, true, true, true, true]);
  });

  it('holds maxEntries within 10% when two workers (an old one and its successor) write to one database', async () => {
    const seed = new OutcomeLog({ maxEntries: 500, channelName: false });
    await Promise.all(Array.from({ length: 400 }, () => seed.write(outcome())));
    // Both open the log holding 400 records; neither sees what the other adds.
    const older = new OutcomeLog({ maxEntries: 500, channelName: false });
    const newer = new OutcomeLog({ maxEntries: 500, channelName: false });
    await Promise.all([older.database(), newer.database()]);
    for (let round = 0; round < 10; round++) {
      await Promise.all([older, newer].flatMap((log) => Array.from({ length: 10 }, () => log.write(outcome()))));
    }
    const reader = await openDB(LOG_DB_NAME);
    const count = await reader.count('outcomes');
    reader.close();
    expect(count).toBeGreaterThanOrEqual(500);
    expect(count).toBeLessThanOrEqual(550);
  });

  it('prunes records that have grown older than maxAgeSeconds while the log was below maxEntries', async () => {
    const now = Date.now();
    await new OutcomeLog({ batchSize: 1, channelName: false }).write(outcome({ id: 'recent', time: now - 60_000 }));
    // A record written days ago, when it was new.
    const db = await openDB(LOG_DB_NAME);
    await db.add('outcomes', outcome({ id: 'stale', time: now - 3 * 86_400_000 }));
    db.close();
    // A later worker writes one fresh record: the stale one goes, though the log is nowhere near full.
    await new OutcomeLog({ maxAgeSeconds: 86_400, batchSize: 1, channelName: false }).write(outcome({ id: 'fresh', time: now }));
    const { outcomes } = await query(new OutcomeLog({ channelName: false }), { order: 'oldest' });
    expect(outcomes.map((o) => o.id)).toEqual(['recent', 'fresh']);
  });

  it('prunes records older than maxAgeSeconds', async () => {
    const log = new OutcomeLog({ maxAgeSeconds: 86_400, batchSize: 3, channelName: false });
    const now = Date.now();
    await Promise.all([log.write(outcome({ time: now - 3 * 86_400_000 })), log.write(outcome({ time: now - 60_000 })), log.write(outcome({ time: now }))]);
    const { outcomes } = await query(log, { order: 'oldest' });
    expect(outcomes.map((o) => o.time)).toEqual([now - 60_000, now]);
  });

  it('on QuotaExceededError prunes the oldest half and retries once; nothing throws', async () => {
    const log = new OutcomeLog({ maxEntries: 100, batchSize: 10, channelName: false });
    await Promise.all(Array.from({ length: 100 }, () => log.write(outcome())));
    // The next commit fails as a full disk would: the transaction aborts with QuotaExceededError.
    const realCommit = IDBTransaction.prototype.commit;
    let failures = 1;
    IDBTransaction.prototype.commit = function (this: IDBTransaction) {
      if (failures-- > 0) {
        Object.defineProperty(this, 'error', { value: new DOMException('full', 'QuotaExceededError') });
        return this.abort();
      }
      return realCommit.call(this);
    };
    try {
      await Promise.all(Array.from({ length: 10 }, () => log.write(outcome({ kind: 'opaque' }))));
    } finally {
      IDBTransaction.prototype.commit = realCommit;
    }
    const { outcomes } = await query(log, { limit: 1000 });
    expect(outcomes.filter((o) => o.kind === 'opaque')).toHaveLength(10);
    expect(outcomes.length).toBe(60);
    expect(log.status.dropped).toBe(0);
  });

  it('drops (and counts) what it cannot store when the database cannot be opened, without throwing', async () => {
    const realOpen = globalThis.indexedDB.open.bind(globalThis.indexedDB);
    globalThis.indexedDB.open = () => {
      throw new DOMException('storage is off', 'UnknownError');
    };
    try {
      const log = new OutcomeLog({ batchSize: 2, channelName: false });
      await Promise.all([log.write(outcome()), log.write(outcome())]);
      expect(log.status).toMatchObject({ state: 'unavailable', dropped: 2 });
      expect(log.status.reason).toContain('storage is off');
    } finally {
      globalThis.indexedDB.open = realOpen;
    }
  });

  it('tries an unavailable database again 30 s later, not before, and then stores again', async () => {
    const realOpen = globalThis.indexedDB.open.bind(globalThis.indexedDB);
    let refusing = true;
    globalThis.indexedDB.open = (...args: Parameters<IDBFactory['open']>) => {
      if (refusing) throw new DOMException('storage is off', 'UnknownError');
      return realOpen(...args);
    };
    const start = Date.now();
    const now = vi.spyOn(Date, 'now').mockReturnValue(start);
    try {
      const log = new OutcomeLog({ batchSize: 1, channelName: false });
      await log.write(outcome());
      refusing = false;
      now.mockReturnValue(start + 29_000);
      await log.write(outcome());
      expect(log.status).toMatchObject({ state: 'unavailable', dropped: 2 });
      now.mockReturnValue(start + 30_001);
      await log.write(outcome({ id: 'after-30-s' }));
      expect(log.status).toMatchObject({ state: 'ready', dropped: 2 });
      expect((await query(log)).outcomes.map((o) => o.id)).toEqual(['after-30-s']);
    } finally {
      now.mockRestore();
      globalThis.indexedDB.open = realOpen;
    }
  });
});

describe('MemorySink', () => {
  it('keeps the latest `limit` outcomes (1000 by default), oldest first', () => {
    const sink = new MemorySink();
    for (let i = 0; i < 1005; i++) sink.write(outcome({ id: `m${i}` }));
    expect(sink.list().map((o) => o.id)).toEqual(Array.from({ length: 1000 }, (_, i) => `m${i + 5}`));
    const small = new MemorySink(2);
    for (const id of ['a', 'b', 'c']) small.write(outcome({ id }));
    expect(small.list().map((o) => o.id)).toEqual(['b', 'c']);
    small.clear();
    expect(small.list()).toEqual([]);
  });
});

describe('queries, paging, summary, export', () => {
  async function filled(): Promise<OutcomeLog> {
    const log = new OutcomeLog({ batchSize: 1000, channelName: false });
    const kinds: OutcomeKind[] = ['ok', 'opaque', 'http-error', 'network-error'];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        log.write(outcome({ time: T + 1000 + i, kind: kinds[i % 4]!, policy: i < 20 ? 'cors' : 'passthrough', targetOrigin: i % 2 ? 'https://a.test' : 'https://b.test', durationMs: i + 1 })),
      ),
    );
    return log;
  }

  it('filters by time range, origin, policy and kind together', async () => {
    const log = await filled();
    const { outcomes } = await query(log, { from: T + 1010, to: T + 1029, targetOrigin: 'https://a.test', policy: 'cors', kind: 'opaque' });
    expect(outcomes.map((o) => o.time - T)).toEqual([1017, 1013]);
  });

  it('filters by CORS reason, alone or with an indexed filter; records without one (older ones) never match', async () => {
    const log = await filled();
    await Promise.all([
      log.write(outcome({ time: T + 2000, kind: 'cors-blocked', reason: 'CORSMissingAllowOrigin', fix: 'send Access-Control-Allow-Origin' })),
      log.write(outcome({ time: T + 2001, kind: 'cors-blocked', reason: 'CORSPreflightDidNotSucceed' })),
      log.write(outcome({ time: T + 2002, kind: 'cors-blocked' })),
    ]);
    const alone = await query(log, { reason: 'CORSMissingAllowOrigin' });
    expect(alone.outcomes.map((o) => [o.time - T, o.reason, o.fix])).toEqual([[2000, 'CORSMissingAllowOrigin', 'send Access-Control-Allow-Origin']]);
    const withKind = await query(log, { kind: 'cors-blocked', reason: 'CORSPreflightDidNotSucceed' });
    expect(withKind.outcomes.map((o) => o.time - T)).toEqual([2001]);
    expect((await query(log, { kind: 'cors-blocked' })).outcomes).toHaveLength(3);
  });

  it('finds outcomes by URL, exactly or by prefix, and by beacon id', async () => {
    const log = new OutcomeLog({ batchSize: 100, channelName: false });
    const urls = ['https://a.test/v1/e', 'https://a.test/v1/e?x=1', 'https://a.test/v2/e', 'https://a.testing.example/v1/e', 'https://b.test/v1/e'];
    await Promise.all(urls.map((url, i) => log.write(outcome({ url, targetOrigin: new URL(url).origin, ...(i === 1 ? { beaconId: 'b-1', policy: 'beacon' } : {}) }))));
    const urlsOf = async (q: OutcomeQuery): Promise<string[]> => (await query(log, { order: 'oldest', ...q })).outcomes.map((o) => o.url);
    expect(await urlsOf({ url: 'https://a.test/v1/e' })).toEqual(['https://a.test/v1/e']);
    expect(await urlsOf({ urlPrefix: 'https://a.test/v1/' })).toEqual(['https://a.test/v1/e', 'https://a.test/v1/e?x=1']);
    // A prefix shorter than an origin and its "/" is read from the time index: other hosts match too.
    expect(await urlsOf({ urlPrefix: 'https://a.test' })).toEqual(urls.slice(0, 4));
    expect(await urlsOf({ urlPrefix: 'https://a.test/', targetOrigin: 'https://b.test' })).toEqual([]);
    expect(await urlsOf({ urlPrefix: 'https://a.test/v', kind: 'ok', limit: 1 })).toEqual(['https://a.test/v1/e']);
    expect(await urlsOf({ beaconId: 'b-1' })).toEqual(['https://a.test/v1/e?x=1']);
    expect((await summarizeLog(await log.database(), { urlPrefix: 'https://a.test/' })).total.count).toBe(3);
  });

  it('pages with a cursor, newest first by default, without gaps or repeats', async () => {
    const log = await filled();
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await query(log, { limit: 7, targetOrigin: 'https://b.test', ...(cursor ? { cursor } : {}) });
      seen.push(...page.outcomes.map((o) => o.time - T));
      cursor = page.cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => 1038 - 2 * i));
  });

  it('pages oldest first too, with records of the same millisecond kept apart by seq', async () => {
    const log = new OutcomeLog({ batchSize: 1000, channelName: false });
    await Promise.all(Array.from({ length: 5 }, () => log.write(outcome({ time: T }))));
    const first = await query(log, { limit: 2, order: 'oldest' });
    const second = await query(log, { limit: 10, order: 'oldest', cursor: first.cursor! });
    expect([...first.outcomes, ...second.outcomes].map((o) => o.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(second.cursor).toBeNull();
  });

  it('refuses a bad limit or cursor with a message saying what to pass', async () => {
    const log = await filled();
    await expect(query(log, { limit: 0 })).rejects.toThrow(/query.limit must be a whole number from 1 to 10000/);
    await expect(query(log, { cursor: 'abc' })).rejects.toThrow(/pass the page's cursor unchanged/);
  });

  it('summarizes per origin and per policy: counts by kind, success rate, p50 and p95', async () => {
    const summary = await summarizeLog(await (await filled()).database());
    expect(summary.total).toEqual({ count: 40, byKind: { ok: 10, opaque: 10, 'http-error': 10, 'network-error': 10 }, successRate: 0.5, p50: 20, p95: 38 });
    expect(summary.byPolicy['cors']).toMatchObject({ count: 20, p50: 10, p95: 19 });
    expect(summary.byOrigin['https://a.test']).toMatchObject({ count: 20, byKind: { opaque: 10, 'network-error': 10 }, successRate: 0.5 });
    expect(Object.keys(summary.byOrigin).sort()).toEqual(['https://a.test', 'https://b.test']);
  });

  it('exports NDJSON: one JSON outcome per line, oldest first, filtered', async () => {
    const log = await filled();
    const text = await new Response(exportNdjson(await log.database(), { kind: 'ok' })).text();
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines.map((line) => JSON.parse(line).time - T)).toEqual(Array.from({ length: 10 }, (_, i) => 1000 + 4 * i));
    expect(text.endsWith('\n')).toBe(true);
  });

  it('clear() empties the log', async () => {
    const log = await filled();
    await log.clear();
    expect((await query(log)).outcomes).toEqual([]);
  });
});

describe('versioning and the page-side reader', () => {
  it('a reader never creates the database: before the worker writes, the log reads as empty', async () => {
    const reader = openOutcomeLog();
    expect(await reader.query()).toEqual({ outcomes: [], cursor: null });
    expect((await reader.summarize()).total.count).toBe(0);
    expect(await (await reader.exportNdjson()).text()).toBe('');
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(LOG_DB_NAME);
  });

  it('the same reader sees the log once the worker has created it', async () => {
    const reader = openOutcomeLog();
    expect((await reader.query()).outcomes).toEqual([]);
    const log = new OutcomeLog({ batchSize: 1, channelName: false });
    await log.write(outcome({ id: 'first' }));
    expect((await reader.query()).outcomes.map((o) => o.id)).toEqual(['first']);
    await reader.clear();
    expect((await query(log)).outcomes).toEqual([]);
  });

  it('repairs an empty version 1 left by a page that opened the name first, and keeps working', async () => {
    (await openDB(LOG_DB_NAME, 1)).close();
    const log = new OutcomeLog({ batchSize: 1, channelName: false });
    await log.write(outcome({ id: 'after-repair' }));
    expect(log.status).toMatchObject({ state: 'ready', dropped: 0 });
    const db = await openDB(LOG_DB_NAME);
    expect(db.version).toBe(2);
    expect([...db.objectStoreNames].sort()).toEqual(['meta', 'outcomes']);
    db.close();
    expect((await openOutcomeLog().query()).outcomes.map((o) => o.id)).toEqual(['after-repair']);
  });

  it('upgrades a schema 1 log with records in it to schema 2: nothing lost, the new filters use their indexes', async () => {
    await writeSchema1Log([outcome({ id: 'old', url: 'https://a.test/old?x=1' })]);
    // A page reading the old log (its worker not yet updated) filters without the missing index.
    expect((await openOutcomeLog().query({ url: 'https://a.test/old?x=1' })).outcomes.map((o) => o.id)).toEqual(['old']);
    const log = new OutcomeLog({ batchSize: 1, channelName: false });
    await log.write(outcome({ id: 'new', url: 'https://a.test/new', beaconId: 'b-2' }));
    expect((await query(log, { order: 'oldest' })).outcomes.map((o) => [o.id, o.seq])).toEqual([['old', 1], ['new', 2]]);
    const db = await openDB(LOG_DB_NAME);
    expect(db.version).toBe(2);
    const store = db.transaction('outcomes').objectStore('outcomes');
    expect([...store.indexNames].sort()).toEqual(['beacon-time', 'kind-time', 'origin-time', 'policy-time', 'time', 'url-time']);
    expect(await store.index('url-time').count()).toBe(2);
    expect(await db.get('meta', 'schema')).toEqual({ schemaVersion: 2 });
    db.close();
    expect((await query(log, { url: 'https://a.test/old?x=1' })).outcomes.map((o) => o.id)).toEqual(['old']);
    expect((await query(log, { beaconId: 'b-2' })).outcomes.map((o) => o.id)).toEqual(['new']);
  });

  it('a worker reopening an existing log keeps its records (no upgrade needed)', async () => {
    const first = new OutcomeLog({ batchSize: 1, channelName: false });
    await first.write(outcome({ id: 'kept' }));
    const second = new OutcomeLog({ batchSize: 1, channelName: false });
    await second.write(outcome({ id: 'new' }));
    expect((await query(second, { order: 'oldest' })).outcomes.map((o) => o.id)).toEqual(['kept', 'new']);
  });
});

/** The log as a worker of schema 1 left it: version 1, its four indexes, its records. */
async function writeSchema1Log(records: Outcome[]): Promise<void> {
  const db = await openDB(LOG_DB_NAME, 1, {
    upgrade(db) {
      const store = db.createObjectStore('outcomes', { keyPath: 'seq', autoIncrement: true });
      store.createIndex('time', 'time');
      store.createIndex('origin-time', ['targetOrigin', 'time']);
      store.createIndex('policy-time', ['policy', 'time']);
      store.createIndex('kind-time', ['kind', 'time']);
      db.createObjectStore('meta').put({ schemaVersion: 1 }, 'schema');
    },
  });
  for (const record of records) await db.add('outcomes', record);
  db.close();
}
