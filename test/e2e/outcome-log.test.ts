import { describe, expect, it } from 'vitest';
import type { OutcomeSummary, StoredOutcome } from '../../src/client/index.js';
import type { TestRule } from '../fixtures/test-config.js';
import type { TestConfig } from '../fixtures/test-config.js';
import { enginesFromEnv, type TestPage } from '../helpers/browser.js';
import { useE2eSuite } from '../helpers/e2e-suite.js';
import { burst } from '../helpers/log-profile.js';
import { eventually } from '../helpers/stack.js';

/** The IndexedDB outcome log through the real worker, read from the page. */
describe.each(enginesFromEnv())('the outcome log, in %s', (engine) => {
  const suite = useE2eSuite(engine);
  const rules = (): TestRule[] => [
    { match: { origin: suite.stack.lab.origin, path: '/cors' }, policy: 'cors' },
    { match: { origin: suite.stack.lab.origin }, policy: 'passthrough' },
  ];
  const controlledPage = (config: Omit<TestConfig, 'rules'>): Promise<TestPage> => suite.controlledPage({ rules: rules(), ...config });
  const logCount = (p: TestPage): Promise<number> =>
    p.evaluate(async () => (await window.crossrouteTest.log.query({ limit: 10_000 })).outcomes.length);
  it('real requests become records the page can query, summarize, export and watch live', async () => {
    const p = await controlledPage({ log: {} });
    const lab = suite.stack.lab.origin;
    await p.evaluate(async (lab) => {
      await fetch(`${lab}/cors`);
      await fetch(`${lab}/no-cors`, { mode: 'no-cors' });
      await fetch(`${lab}/status/503?cors=1`, { mode: 'cors' }).catch(() => undefined);
    }, lab);
    await eventually(async () => ((await logCount(p)) === 3 ? true : undefined));
    const page1 = await p.evaluate(() => window.crossrouteTest.log.query({ limit: 2 }));
    expect(page1.outcomes.map((o) => o.url)).toEqual([`${lab}/status/503?cors=1`, `${lab}/no-cors`]);
    const page2 = await p.evaluate((cursor) => window.crossrouteTest.log.query({ limit: 2, cursor }), page1.cursor!);
    expect(page2).toMatchObject({ outcomes: [{ url: `${lab}/cors`, kind: 'ok', policy: 'cors' }], cursor: null });
    const passthrough = await p.evaluate(() => window.crossrouteTest.log.query({ policy: 'passthrough', kind: 'http-error' }));
    expect(passthrough.outcomes.map((o) => o.status)).toEqual([503]);

    const summary: OutcomeSummary = await p.evaluate(() => window.crossrouteTest.log.summarize());
    expect(summary.total).toMatchObject({ count: 3, byKind: { ok: 1, opaque: 1, 'http-error': 1 } });
    expect(summary.total.successRate).toBeCloseTo(2 / 3);
    expect(summary.byOrigin[lab]!.count).toBe(3);
    expect(summary.byPolicy['cors']!.count).toBe(1);

    const ndjson = await p.evaluate(async () => (await window.crossrouteTest.log.exportNdjson()).text());
    const lines = ndjson.trimEnd().split('\n').map((line) => JSON.parse(line) as StoredOutcome);
    expect(lines.map((o) => o.url)).toEqual([`${lab}/cors`, `${lab}/no-cors`, `${lab}/status/503?cors=1`]);

    const live = await eventually(async () => {
      const seen = await p.evaluate(() => window.crossrouteTest.live.map((o) => o.url));
      return seen.length === 3 ? seen : undefined;
    });
    expect(live).toEqual(lines.map((o) => o.url));

    await p.evaluate(() => window.crossrouteTest.log.clear());
    expect(await logCount(p)).toBe(0);
  });

  it('the Workbox plugin logs a route that is not crossroute\'s: network first, then a cache hit', async () => {
    const p = await controlledPage({ log: {} });
    const bodies = await p.evaluate(async () => {
      const first = await (await fetch('/same-origin/data.json')).text();
      // CacheFirst stores the response after answering; wait until it has.
      while (!(await caches.match('/same-origin/data.json'))) await new Promise((resolve) => setTimeout(resolve, 10));
      return [first, await (await fetch('/same-origin/data.json')).text()];
    });
    expect(bodies).toEqual(['{"endpoint":"same-origin"}', '{"endpoint":"same-origin"}']);
    const outcomes = await eventually(async () => {
      const page = await p.evaluate(() => window.crossrouteTest.log.query({ policy: 'workbox:CacheFirst', order: 'oldest' }));
      return page.outcomes.length === 2 ? page.outcomes : undefined;
    });
    expect(outcomes.map((o) => [o.ruleIndex, o.kind, o.status, o.responseType, o.detail])).toEqual([
      [-1, 'ok', 200, 'basic', 'from the network'],
      [-1, 'cache-hit', 200, 'basic', 'from cache'],
    ]);
  });

  it('the Workbox plugin calls a stale-while-revalidate answer from cache a cache hit, though it also fetched', async () => {
    const p = await controlledPage({ log: {} });
    await p.evaluate(async () => {
      await fetch('/same-origin/data.json?swr');
      while (!(await caches.match('/same-origin/data.json?swr'))) await new Promise((resolve) => setTimeout(resolve, 10));
      await fetch('/same-origin/data.json?swr');
    });
    const outcomes = await eventually(async () => {
      const page = await p.evaluate(() => window.crossrouteTest.log.query({ policy: 'workbox:StaleWhileRevalidate', order: 'oldest' }));
      return page.outcomes.length === 2 ? page.outcomes : undefined;
    });
    expect(outcomes.map((o) => [o.kind, o.detail])).toEqual([
      ['ok', 'from the network'],
      ['cache-hit', 'from cache; refreshed from the network in the background'],
    ]);
  });

  it('stores and announces a URL redacted (no fragment, no token value), and finds it by that URL', async () => {
    const p = await controlledPage({ log: {} });
    const lab = suite.stack.lab.origin;
    await p.evaluate((lab) => fetch(`${lab}/assets/data.json?token=s3cr3t&keep=1#frag`, { mode: 'no-cors' }).then(() => undefined), lab);
    // The records as IndexedDB holds them, read without crossroute's reader.
    const stored = await eventually(async () => {
      const records = await p.evaluate(
        () =>
          new Promise<unknown[]>((resolve) => {
            const open = indexedDB.open('crossroute-log');
            // Not written yet: create nothing (an empty database of ours would stand in the worker's
            // way), and ask again.
            open.onupgradeneeded = () => open.transaction!.abort();
            open.onerror = () => resolve([]);
            open.onsuccess = () => {
              const db = open.result;
              if (!db.objectStoreNames.contains('outcomes')) {
                db.close();
                resolve([]);
                return;
              }
              const all = db.transaction('outcomes').objectStore('outcomes').getAll();
              all.onsuccess = () => {
                db.close();
                resolve(all.result);
              };
            };
          }),
      );
      return records.length === 1 ? records : undefined;
    });
    const redacted = `${lab}/assets/data.json?token=redacted&keep=1`;
    expect(stored).toEqual([expect.objectContaining({ url: redacted })]);
    const live = await eventually(async () => {
      const seen = await p.evaluate(() => window.crossrouteTest.live);
      return seen.length === 1 ? seen : undefined;
    });
    expect(live).toEqual([expect.objectContaining({ url: redacted })]);
    expect(JSON.stringify([stored, live])).not.toMatch(/s3cr3t|frag/);
    const found = await p.evaluate((url) => window.crossrouteTest.log.query({ url }), redacted);
    expect(found.outcomes.map((o) => o.url)).toEqual([redacted]);
  });

  it("with urls: 'origin-path' only the origin and path are kept", async () => {
    const p = await controlledPage({ log: { urls: 'origin-path' } });
    const lab = suite.stack.lab.origin;
    await p.evaluate((lab) => fetch(`${lab}/assets/data.json?user=ann&token=s3cr3t#frag`, { mode: 'no-cors' }).then(() => undefined), lab);
    const page = await eventually(async () => {
      const found = await p.evaluate((lab) => window.crossrouteTest.log.query({ urlPrefix: `${lab}/assets/` }), lab);
      return found.outcomes.length === 1 ? found : undefined;
    });
    expect(page.outcomes[0]!.url).toBe(`${lab}/assets/data.json`);
  });

  it('a burst of 1,000 requests gives 1,000 records', async () => {
    const p = await controlledPage({ log: {} });
    expect(await burst(p, suite.stack.lab.origin, 1000, 50)).toBe(1000);
    await eventually(async () => ((await logCount(p)) === 1000 ? true : undefined), 15_000);
    expect(suite.stack.lab.records()).toHaveLength(1000);
  });

  it('maxEntries 500 holds within 10% through 6,000 requests in bursts, counted in the database between and during them', async () => {
    const lab = suite.stack.lab.origin;
    // Blocked: every request is intercepted and logged, and the lab is not the bottleneck.
    const p = await suite.controlledPage({ rules: [{ match: { origin: lab, path: '/burst/*' }, policy: 'block' }], log: { maxEntries: 500 } });
    // The worker creates the database with its first record; a page opening it first would create an empty one.
    await p.evaluate((lab) => fetch(`${lab}/burst/first`), lab);
    await eventually(async () => ((await logCount(p)) === 1 ? true : undefined));
    const { counts, answered, stored } = await p.evaluate(
      async ({ lab, total, size }) => {
        // The store opened by its schema name, as any page code could: a read transaction runs after
        // the write transactions created before it, so each count is a moment of the log.
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open('crossroute-log');
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const count = (): Promise<number> =>
          new Promise((resolve, reject) => {
            const request = db.transaction('outcomes').objectStore('outcomes').count();
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          });
        const counts: Promise<number>[] = [];
        let answered = 0;
        for (let i = 0; i < total; i += size) {
          const wave = Array.from({ length: size }, (_, j) => fetch(`${lab}/burst/${i + j}`).then((r) => void (answered += r.status === 403 ? 1 : 0)));
          // One count while the burst's outcomes are being written, one after its answers are in.
          counts.push(new Promise((resolve) => setTimeout(resolve, 20)).then(count));
          await Promise.all(wave);
          counts.push(count());
        }
        // Then until every record has been announced as stored (the live channel, 50 ms after it is stored at most).
        const deadline = performance.now() + 40_000;
        while (window.crossrouteTest.live.length < total + 1 && performance.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          counts.push(count());
        }
        counts.push(count());
        const seen = await Promise.all(counts);
        db.close();
        return { counts: seen, answered, stored: window.crossrouteTest.live.length };
      },
      { lab, total: 6000, size: 500 },
    );
    expect(answered).toBe(6000);
    expect(stored).toBe(6001);
    expect(Math.max(...counts)).toBeLessThanOrEqual(550);
    expect(counts.at(-1)).toBeGreaterThanOrEqual(500);
    expect(suite.stack.lab.records()).toEqual([]);
    // 9–30 s per engine at load 7–13 (README); a slower machine gets room rather than a failure.
  }, 120_000);

  it('with flushDelaySeconds 0, a worker stopped in the middle of a burst: every request answered, what was stored stays, only uncommitted records go', async (context) => {
    // Batches of one task, handed to IndexedDB in that task: the setting for a worker that may be
    // stopped without its waitUntil being waited for. The default's open batch is simply lost then (README).
    const p = await controlledPage({ log: { flushDelaySeconds: 0 } });
    if (!p.canStopServiceWorkers) context.skip(`${engine} cannot stop service workers from a test`);
    const idOf = (url: string): string => new URL(url, 'http://x').searchParams.get('i')!;
    const first = burst(p, suite.stack.lab.origin, 500, 50);
    // Stop mid-burst: transactions are queued, more requests are in flight; and something is stored
    // (the live channel announces a batch only after its transaction completed).
    const storedBeforeStop = await eventually(async () => {
      const live = await p.evaluate(() => window.crossrouteTest.live.map((o) => o.url));
      return suite.stack.lab.records().length >= 200 && live.length > 0 ? live : undefined;
    });
    await p.stopServiceWorkers();
    // The stopped worker can have answered only what the lab had seen by now.
    const seenByStop = new Set(suite.stack.lab.records().map((r) => idOf(r.path)));
    expect((await first) + (await burst(p, suite.stack.lab.origin, 500, 50, 500))).toBe(1000);
    // A fetch event cut short by the stop is dispatched again by the browser (to the network or to
    // the restarted worker): the lab sees that request twice, and may log it twice.
    const seen = suite.stack.lab.records().map((r) => idOf(r.path));
    const cutShort = new Set(seen.filter((i, at) => seen.indexOf(i) !== at));
    // The restarted worker answers the second burst; once all of it is stored, so is everything
    // queued before it (read-write transactions on one store run in the order they were created).
    const logged = await eventually(async () => {
      const urls = await p.evaluate(async () => (await window.crossrouteTest.log.query({ limit: 10_000, order: 'oldest' })).outcomes.map((o) => o.url));
      const ids = urls.map(idOf);
      return Array.from({ length: 500 }, (_, i) => String(500 + i)).every((i) => ids.includes(i)) ? ids : undefined;
    }, 15_000);
    expect(storedBeforeStop.map(idOf).filter((i) => !logged.includes(i))).toEqual([]);
    expect(logged.filter((i, at) => logged.indexOf(i) !== at && !cutShort.has(i))).toEqual([]);
    // What a forced stop can lose: the records of requests the stopped worker answered whose
    // transactions had not committed when it died (CDP ends the worker's IndexedDB connection, and
    // IndexedDB aborts every transaction of it not yet committed, queued ones included), and those
    // still waiting for the database to open. How many depends on how far the commits trail the
    // answers when the stop lands (README, "Off the critical path, durable": 0 in most runs here;
    // waiting for each transaction's adds before committing queued them: 35 to 129 lost in 5 of 6), so the test
    // asserts which records may go, not how many.
    const lost = Array.from({ length: 500 }, (_, i) => String(i)).filter((i) => !cutShort.has(i) && !logged.includes(i));
    expect(lost.filter((i) => !seenByStop.has(i))).toEqual([]);
    // Cut short: the fetch events in flight at the stop, one wave at most.
    expect(cutShort.size).toBeLessThanOrEqual(50);
  });

  it('a page that opened the database first does not break the worker schema', async () => {
    // App code on the page opens the log's name before any worker exists: an empty version 1.
    const { page: p, version } = await suite.controlledAfterPageOpened('crossroute-log', { rules: rules(), log: {} });
    expect(version).toBe(1);
    await p.evaluate((lab) => fetch(`${lab}/cors`).then((r) => r.text()), suite.stack.lab.origin);
    await eventually(async () => ((await logCount(p)) === 1 ? true : undefined));
    expect(await p.evaluate(() => window.crossrouteTest.logStatus())).toMatchObject({ state: 'ready', dropped: 0 });
  });

  it('a broken IndexedDB never reaches the page: requests are answered, the loss is counted', async () => {
    const p = await controlledPage({ log: {}, breakIndexedDB: true });
    const statuses = await p.evaluate(async (lab) => Promise.all([1, 2, 3].map(() => fetch(`${lab}/cors`).then((r) => r.status))), suite.stack.lab.origin);
    expect(statuses).toEqual([200, 200, 200]);
    const status = await eventually(async () => {
      const s = (await p.evaluate(() => window.crossrouteTest.logStatus())) as { dropped: number; state: string; reason: string };
      return s.dropped === 3 ? s : undefined;
    });
    expect(status.state).toBe('unavailable');
    expect(status.reason).toContain('IndexedDB broken on purpose');
    expect(p.pageErrors()).toEqual([]);
  });
});
