import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/model/outcome.js';
import type { OutboxState } from '../../src/model/outbox-state.js';
import type { TestRule } from '../fixtures/test-config.js';
import type { LabRecord } from '../../demo/lab/server.js';
import { enginesFromEnv, keepsProfiles, launch, type TestPage } from '../helpers/browser.js';
import { useE2eSuite } from '../helpers/e2e-suite.js';
import type { TestConfig } from '../fixtures/test-config.js';
import { eventually } from '../helpers/stack.js';

/** CI runs 1,000; BEACON_COUNT=10000 runs the full 10,000 (slow: the page queues them one by one). */
const BEACON_COUNT = Number(process.env.BEACON_COUNT ?? 1000);
/** A backoff longer than any test: only the trigger a test is about can deliver. */
const NO_TIMER = { backoffSeconds: 60, backoffMaxSeconds: 60 };
/** The page's probe cadence off: for tests about one other trigger. */
const NO_PROBE = { pageProbeMaxSeconds: false } as const;
/** The beacon options' own backoff (1 s doubling to 5 min), which the recovery tests are about. */
const DEFAULT_BACKOFF = { backoffSeconds: 1, backoffMaxSeconds: 300 };

/** The beacon policy through the real worker, against the lab: what arrives, once, and when. */
describe.each(enginesFromEnv())('the beacon policy, in %s', (engine) => {
  const suite = useE2eSuite(engine);

  const beaconRule = (options: Record<string, unknown> = {}, path = '/beacon'): TestRule => ({
    name: 'analytics',
    match: { origin: suite.stack.lab.origin, path },
    policy: 'beacon',
    options: { idParam: 'bid', backoffSeconds: 0.1, backoffMaxSeconds: 0.4, ...options },
  });

  /** A fresh profile; with rules, controlled by the worker under test (`config`: more of its test config). */
  async function openPage(rules?: TestRule[], config: Omit<TestConfig, 'rules'> = {}): Promise<TestPage> {
    if (rules) return suite.controlledPage({ rules, ...config });
    suite.stack.lab.clear();
    const page = await suite.newPage();
    await page.goto(suite.stack.pageUrl());
    return page;
  }

  /** A page fetch the way analytics code writes it: JSON, in cors mode. */
  const postJson = (p: TestPage, url: string, value: unknown): Promise<{ status?: number; id?: string | null; error?: string }> =>
    p.evaluate(
      async ({ url, value }) => {
        try {
          // No keepalive: Firefox sends keepalive fetches past the service worker.
          const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
          return { status: r.status, id: r.headers.get('x-crossroute-beacon-id') };
        } catch (error) {
          return { error: String(error) };
        }
      },
      { url, value },
    );
  const sendJsonBeacon = (p: TestPage, url: string, value: unknown): Promise<boolean> =>
    p.evaluate(({ url, value }) => navigator.sendBeacon(url, new Blob([JSON.stringify(value)], { type: 'application/json' })), { url, value });
  const outcomes = (p: TestPage): Promise<Outcome[]> => p.evaluate(() => window.crossrouteTest.outcomes()) as Promise<Outcome[]>;
  const outboxState = (p: TestPage): Promise<OutboxState | null> => p.evaluate(() => window.crossrouteTest.outboxState());
  const posts = (prefix = '/beacon'): LabRecord[] => suite.stack.lab.records().filter((r) => r.method === 'POST' && r.path.startsWith(prefix));
  const idOf = (record: LabRecord): string | null => new URL(record.path, suite.stack.lab.origin).searchParams.get('bid');
  /** Waits until the lab has `n` POSTs under `prefix`. */
  const arrivals = (n: number, prefix = '/beacon', timeoutMs = 15_000): Promise<LabRecord[]> =>
    eventually(async () => {
      const got = posts(prefix);
      return got.length >= n ? got : undefined;
    }, timeoutMs);
  const outcomesWhere = (p: TestPage, test: (o: Outcome) => boolean, n: number, timeoutMs = 15_000): Promise<Outcome[]> =>
    eventually(async () => {
      const found = (await outcomes(p)).filter(test);
      return found.length >= n ? found : undefined;
    }, timeoutMs);

  it('without the worker a JSON POST beacon to a non-CORS endpoint sends only the preflight; with it the lab gets the body as text/plain', async () => {
    const url = `${suite.stack.lab.origin}/beacon`;
    const bare = await openPage();
    expect(await postJson(bare, url, { event: 'bare' })).toHaveProperty('error');
    expect(suite.stack.lab.records().map((r) => r.method)).toEqual(['OPTIONS']);
    await bare.close();

    const p = await openPage([beaconRule()]);
    const answer = await postJson(p, url, { event: 'signup', n: 1 });
    expect(answer).toMatchObject({ status: 200 });
    const [arrived] = await arrivals(1);
    expect(arrived!.body).toBe('{"event":"signup","n":1}');
    expect(arrived!.headers['content-type']).toBe('text/plain;charset=UTF-8');
    expect(idOf(arrived!)).toBe(answer.id);
    expect(suite.stack.lab.records().map((r) => r.method)).toEqual(['POST']);

    const [queued] = await outcomesWhere(p, (o) => o.kind === 'queued', 1);
    expect(queued).toMatchObject({ policy: 'beacon', method: 'POST', mode: 'cors', status: 200, ruleIndex: 0 });
    expect(queued!.detail).toContain(answer.id!);
    expect(queued!.beaconId).toBe(answer.id);
    expect(queued!.changes!.join('\n')).toMatch(/content-type re-typed to text\/plain;charset=UTF-8 \(.*application\/json/);
    const [delivered] = await outcomesWhere(p, (o) => o.kind === 'delivered', 1);
    expect(delivered).toMatchObject({ policy: 'beacon', mode: 'no-cors', responseType: 'opaque', status: 0, url: `${url}?bid=${answer.id}`, beaconId: answer.id });
  });

  it('sendBeacon with a JSON Blob: without the worker only the preflight leaves; with it the body arrives as text/plain', async () => {
    const url = `${suite.stack.lab.origin}/beacon`;
    const bare = await openPage();
    expect(await sendJsonBeacon(bare, url, { event: 'bare' })).toBe(true);
    await eventually(async () => (suite.stack.lab.records().length > 0 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(suite.stack.lab.records().map((r) => r.method)).toEqual(['OPTIONS']);
    await bare.close();

    const p = await openPage([beaconRule()]);
    expect(await sendJsonBeacon(p, url, { event: 'purchase' })).toBe(true);
    const [arrived] = await arrivals(1);
    expect(arrived!.body).toBe('{"event":"purchase"}');
    expect(arrived!.headers['content-type']).toBe('text/plain;charset=UTF-8');
    expect(idOf(arrived!)).toMatch(/^[0-9a-f-]{36}$/);
    const [queued] = await outcomesWhere(p, (o) => o.kind === 'queued', 1);
    expect(queued!.changes!.join('\n')).toContain('application/json');
    expect(suite.stack.lab.records().map((r) => r.method)).toEqual(['POST']);
  });

  it('an image pixel gets a 1×1 image at once, and the GET reaches the origin with its query', async () => {
    const p = await openPage([beaconRule({}, '/assets/pixel.png')]);
    const size = await p.evaluate(async (src) => {
      const img = new Image();
      img.src = src;
      await img.decode(); // rejects unless an image arrived
      return `${img.naturalWidth}x${img.naturalHeight}`;
    }, `${suite.stack.lab.origin}/assets/pixel.png?e=view&u=a%20b`);
    expect(size).toBe('1x1');
    const [got] = await eventually(async () => {
      const gets = suite.stack.lab.records().filter((r) => r.method === 'GET');
      return gets.length > 0 ? gets : undefined;
    });
    expect(got!.path).toMatch(/^\/assets\/pixel\.png\?e=view&u=a%20b&bid=[0-9a-f-]{36}$/);
    expect(await outcomesWhere(p, (o) => o.kind === 'delivered', 1)).toMatchObject([{ destination: 'image', method: 'GET' }]);
  });

  /** Queues `n` text/plain beacons from the page (the lab may be down); returns their ids. */
  async function queueBeacons(p: TestPage, n: number): Promise<string[]> {
    const ids: string[] = [];
    // In chunks: one evaluate must end within the driver's protocol timeout.
    for (let from = 0; from < n; from += 500) {
      const chunk = await p.evaluate(
        async ({ url, from, to }) => {
          const got: string[] = [];
          for (let i = from; i < to; i++) {
            const r = await fetch(url, { method: 'POST', body: JSON.stringify({ n: i }) });
            got.push(r.headers.get('x-crossroute-beacon-id') ?? `missing ${r.status}`);
          }
          return got;
        },
        { url: `${suite.stack.lab.origin}/beacon`, from, to: Math.min(n, from + 500) },
      );
      ids.push(...chunk);
    }
    return ids;
  }
  /** Waits until the origin is known unreachable with `entries` waiting, and no drain is left to run. */
  const untilUnreachable = (p: TestPage, entries: number): Promise<OutboxState> =>
    eventually(async () => {
      const state = await outboxState(p);
      return state && state.entries === entries && state.unreachable.length === 1 && !state.draining ? state : undefined;
    });
  /**
   * Where the browser has Background Sync (Chromium), the failure asked for a sync event, which fires
   * at once; waits until it has failed too, so that it cannot race the trigger a test is about.
   */
  async function untilSyncFailed(p: TestPage): Promise<void> {
    if (!(await p.evaluate(() => 'SyncManager' in window))) return;
    await outcomesWhere(p, (o) => o.kind === 'retry' && o.detail!.includes('trigger sync'), 1);
    // The outcome is out before its pass has settled its leases: wait for the pass to end.
    await eventually(async () => ((await outboxState(p))?.draining === false ? true : undefined));
  }
  /** Stops the lab, queues `n` beacons, and waits until the worker knows the origin is down with `waiting` left. */
  async function queueOffline(p: TestPage, n: number, waiting = n): Promise<{ ids: string[]; state: OutboxState }> {
    await suite.stack.lab.close();
    const ids = await queueBeacons(p, n);
    return { ids, state: await untilUnreachable(p, waiting) };
  }
  const relayOnline = (p: TestPage): Promise<void> => p.evaluate(() => void window.dispatchEvent(new Event('online')));
  /** Every POST the lab got, as ids, after `settleMs` more for any duplicate to show up. */
  async function arrivedIds(n: number, settleMs = 300, timeoutMs = 15_000): Promise<string[]> {
    await arrivals(n, '/beacon', timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    return posts().map((r) => idOf(r)!);
  }

  it('offline: beacons wait in the outbox (readable from the page); the online relay delivers each exactly once', async () => {
    const p = await openPage([beaconRule(NO_TIMER)], NO_PROBE);
    const { ids, state: waiting } = await queueOffline(p, 20);
    await untilSyncFailed(p);
    expect(waiting).toMatchObject({ entries: 20, unreachable: [{ origin: suite.stack.lab.origin }], totals: { queued: 20, delivered: 0 } });
    expect(waiting.bytes).toBeGreaterThan(20 * 40);
    expect(waiting.oldestQueuedAt).toBeLessThanOrEqual(Date.now());
    await suite.stack.restartLab();
    await relayOnline(p);
    expect((await arrivedIds(20)).sort()).toEqual([...ids].sort());
    const delivered = await outcomesWhere(p, (o) => o.kind === 'delivered', 20);
    expect(delivered.every((o) => o.detail!.includes('trigger online'))).toBe(true);
    expect(await outboxState(p)).toMatchObject({ entries: 0, bytes: 0, unreachable: [], totals: { queued: 20, delivered: 20 } });
  });

  it('offline: the next intercepted beacon delivers the waiting ones', async () => {
    const p = await openPage([beaconRule(NO_TIMER)]);
    const { ids } = await queueOffline(p, 5);
    await suite.stack.restartLab();
    ids.push(...(await queueBeacons(p, 1)));
    expect((await arrivedIds(6)).sort()).toEqual([...ids].sort());
  });

  it('offline: the timer retries on its own once the origin is back (no other trigger)', async () => {
    const p = await openPage([beaconRule({ backoffSeconds: 0.3, backoffMaxSeconds: 0.6 })], NO_PROBE);
    const { ids } = await queueOffline(p, 5);
    await untilSyncFailed(p);
    await suite.stack.restartLab();
    expect((await arrivedIds(5)).sort()).toEqual([...ids].sort());
    const delivered = await outcomesWhere(p, (o) => o.kind === 'delivered', 5);
    expect(delivered.every((o) => o.detail!.includes('trigger timer'))).toBe(true);
  });

  it('a worker stopped with a full outbox delivers it when it starts again', async (context) => {
    const p = await openPage([beaconRule(NO_TIMER)], NO_PROBE);
    if (!p.canStopServiceWorkers) context.skip(`${engine} cannot stop a service worker from a test; the browser restart below covers a worker start`);
    const { ids } = await queueOffline(p, 3);
    await untilSyncFailed(p);
    await p.stopServiceWorkers();
    await suite.stack.restartLab();
    // Any event starts the worker again; a state query is the least suspicious one.
    await outboxState(p);
    expect((await arrivedIds(3)).sort()).toEqual([...ids].sort());
    const delivered = await outcomesWhere(p, (o) => o.kind === 'delivered', 3);
    expect(delivered.every((o) => o.detail!.includes('trigger start'))).toBe(true);
  });

  /**
   * A browser of its own on a profile that outlives it, its page controlled with `rules`: `before`
   * runs in it, then the browser is closed, `between` runs, and `after` runs in the browser opened
   * again on the same profile.
   */
  async function acrossRestart(rules: TestRule[], steps: { before(p: TestPage): Promise<void>; between?(): Promise<void>; after(p: TestPage): Promise<void> }): Promise<void> {
    const profile = await mkdtemp(join(tmpdir(), 'crossroute-profile-'));
    let session = await launch(engine, { userDataDir: profile });
    try {
      const p = await session.newPage();
      await p.goto(suite.stack.pageUrl({ rules }));
      await p.evaluate(() => window.crossrouteTest.ready);
      await p.waitForController();
      await steps.before(p);
      await session.close();
      await steps.between?.();
      session = await launch(engine, { userDataDir: profile });
      const again = await session.newPage();
      await again.goto(suite.stack.pageUrl({ rules }));
      await steps.after(again);
    } finally {
      await session.close();
      await rm(profile, { recursive: true, force: true });
    }
  }

  it('a browser closed with a full outbox delivers it when it is opened again on the same profile', async (context) => {
    if (!keepsProfiles(engine)) context.skip(`${engine} cannot keep a profile across a browser restart (MiniBrowser under automation has ephemeral storage only)`);
    let ids: string[] = [];
    await acrossRestart([beaconRule(NO_TIMER)], {
      before: async (p) => void ({ ids } = await queueOffline(p, 3)),
      between: () => suite.stack.restartLab(),
      after: async () => expect((await arrivedIds(3)).sort()).toEqual([...ids].sort()),
    });
  });

  it('a 3 s outage: 20 beacons queued during it are delivered within 5 s of the origin’s return, without a backoff step per beacon', async () => {
    const p = await openPage([beaconRule(DEFAULT_BACKOFF)]);
    await suite.stack.lab.close();
    const down = Date.now();
    // As analytics code sends them: spread over the outage, each one a trigger that probes the origin.
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      ids.push(...(await queueBeacons(p, 1)));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The backoff's own retries in these 3 s take at most 4 steps (due 0.5, 1.5 and 3.5 s after the
    // first failure at the earliest); a step per intercepted beacon would be 20.
    const waiting = await untilUnreachable(p, 20);
    expect(waiting.unreachable[0]!.failures).toBeLessThanOrEqual(4);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, down + 3000 - Date.now())));
    await suite.stack.restartLab();
    const back = Date.now();
    const arrived = await arrivals(20, '/beacon', 10_000);
    expect(new Set(arrived.map(idOf))).toEqual(new Set(ids));
    expect(Math.max(...arrived.map((r) => r.time)) - back).toBeLessThan(5000);
  });

  it('a beacon leased by a sender that died is sent by the next drain, not hidden until its lease runs out', async (context) => {
    if (!keepsProfiles(engine)) context.skip(`${engine} cannot keep a profile across a browser restart (MiniBrowser under automation has ephemeral storage only)`);
    // The lab holds a GET to /slow for 10 s: the browser is closed while the pixel's send is in flight.
    const slow = (): LabRecord[] => suite.stack.lab.records().filter((r) => r.path.startsWith('/slow'));
    let first: LabRecord | undefined;
    await acrossRestart([beaconRule({}, '/slow')], {
      async before(p) {
        suite.stack.lab.clear();
        await p.evaluate(async (src) => {
          const img = new Image();
          img.src = src;
          await img.decode();
        }, `${suite.stack.lab.origin}/slow?ms=10000`);
        [first] = await eventually(async () => (slow().length > 0 ? slow() : undefined));
      },
      async after() {
        const started = Date.now();
        // Sent again (at-least-once: the first send's answer never came) by the new worker's first drain.
        const [, again] = await eventually(async () => (slow().length > 1 ? slow() : undefined), 10_000);
        expect(again!.path).toBe(first!.path);
        expect(again!.time - started).toBeLessThan(5000);
      },
    });
  });

  it('answers SDKs accept: the rule’s answer (default a JSON 200); reads under a beacon rule pass through untouched', async () => {
    const lab = suite.stack.lab.origin;
    const p = await openPage([
      beaconRule({}, '/beacon'),
      beaconRule({ answer: { status: 202, headers: { 'x-collector': 'crossroute' }, body: 'ok' } }, '/status/*'),
      beaconRule({}, '/cors'),
    ]);
    const read = (url: string, init?: RequestInit): Promise<{ status: number; type: string; body: string; header: string | null }> =>
      p.evaluate(
        async ({ url, init }) => {
          const r = await fetch(url, init);
          return { status: r.status, type: r.headers.get('content-type') ?? '', body: await r.text(), header: r.headers.get('x-collector') };
        },
        { url, init },
      );
    expect(await read(`${lab}/beacon`, { method: 'POST', body: 'e' })).toMatchObject({ status: 200, type: 'application/json', body: '{"status":1,"code":200}' });
    expect(await read(`${lab}/status/500`, { method: 'POST', body: 'e' })).toMatchObject({ status: 202, body: 'ok', header: 'crossroute' });
    // A config read under a beacon rule: the real answer, not a synthetic one.
    expect(await read(`${lab}/cors`)).toMatchObject({ status: 200, body: '{"endpoint":"cors"}' });
    const passed = await outcomesWhere(p, (o) => o.kind === 'ok', 1);
    expect(passed[0]!.detail).toContain('not a beacon');
    expect(await arrivals(2, '/')).toHaveLength(2);
    expect(suite.stack.lab.records().filter((r) => r.path === '/cors')).toHaveLength(1);
  });

  it('a gzip body (Content-Encoding, as Amplitude sends it) arrives decoded; the change is logged', async () => {
    const p = await openPage([beaconRule()]);
    const text = JSON.stringify({ events: Array.from({ length: 30 }, (_, i) => ({ event_type: 'click', i })) });
    await p.evaluate(
      async ({ url, text }) => {
        const gzip = await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
        await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzip });
      },
      { url: `${suite.stack.lab.origin}/beacon`, text },
    );
    const [arrived] = await arrivals(1);
    expect(arrived!.body).toBe(text);
    expect(arrived!.headers['content-encoding']).toBeUndefined();
    const [queued] = await outcomesWhere(p, (o) => o.kind === 'queued', 1);
    expect(queued!.changes!.join('\n')).toMatch(/body decoded from Content-Encoding gzip \(\d+ → \d+ bytes\)/);
  });

  it('clearOutbox() removes waiting beacons (one origin’s, then all): none is sent when the origin is back', async () => {
    const p = await openPage([beaconRule(NO_TIMER)], NO_PROBE);
    await queueOffline(p, 4);
    expect(await p.evaluate((origin) => window.crossrouteTest.clearOutbox(origin), 'http://127.0.0.9:1')).toBe(0);
    expect(await p.evaluate((origin) => window.crossrouteTest.clearOutbox(origin), suite.stack.lab.origin)).toBe(4);
    expect(await outboxState(p)).toMatchObject({ entries: 0, totals: { queued: 4, dropped: 4 } });
    const dropped = await outcomesWhere(p, (o) => o.kind === 'dropped', 4);
    expect(dropped[0]!.detail).toContain('cleared by the page (clearOutbox)');
    await suite.stack.restartLab();
    await relayOnline(p);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(posts()).toEqual([]);
  });

  it('cors delivery: a 500 is retried then dropped, a 429 waits for its Retry-After, a 400 is dropped at once; each in the log', async () => {
    const lab = suite.stack.lab.origin;
    const p = await openPage([beaconRule({ delivery: 'cors', maxAttempts: 3, backoffSeconds: 0.1, backoffMaxSeconds: 0.2 }, '/status/*')]);
    await p.evaluate(
      (urls) => Promise.all(urls.map((url) => fetch(url, { method: 'POST', body: 'e' }))),
      [`${lab}/status/500?cors=1`, `${lab}/status/429?cors=1&retry-after=1`, `${lab}/status/400?cors=1`],
    );
    const dropped = await outcomesWhere(p, (o) => o.kind === 'dropped', 3, 15_000);
    const at = (status: string): LabRecord[] => posts(`/status/${status}`);
    expect(at('500')).toHaveLength(3);
    expect(at('429')).toHaveLength(3);
    expect(at('400')).toHaveLength(1);
    const [first429, second429] = at('429');
    expect(second429!.time - first429!.time).toBeGreaterThanOrEqual(950);

    const all = await outcomes(p);
    const of = (status: number, kind: string): Outcome[] => all.filter((o) => o.kind === kind && o.status === status);
    expect(of(500, 'retry')).toHaveLength(2);
    expect(of(500, 'retry')[0]).toMatchObject({ mode: 'cors', responseType: 'cors', policy: 'beacon' });
    expect(of(429, 'retry')[0]!.detail).toMatch(/retry in 1000 ms, attempt 1 of 3: answered 429, Retry-After 1 s/);
    expect(dropped.find((o) => o.status === 500)!.detail).toContain('dropped after 3 attempts');
    expect(dropped.find((o) => o.status === 400)!.detail).toContain('answered 400: refused');
    expect(await outboxState(p)).toMatchObject({ entries: 0, totals: { queued: 3, delivered: 0, dropped: 3, retried: 4 } });
  });

  it('auto delivery: cors where the origin answers with CORS, no-cors once it refused, no-cors for what the page did not send simple', async () => {
    const lab = suite.stack.lab.origin;
    const p = await openPage([beaconRule({ delivery: 'auto' }, '/beacon')]);
    const send = async (url: string, type: string, n: number): Promise<Outcome> => {
      await p.evaluate(({ url, type }) => fetch(url, { method: 'POST', headers: { 'content-type': type }, body: '{}' }), { url, type });
      return (await outcomesWhere(p, (o) => o.kind === 'delivered', n)).at(-1)!;
    };
    expect(await send(`${lab}/beacon?cors=1`, 'text/plain', 1)).toMatchObject({ mode: 'cors', status: 204, responseType: 'cors' });
    expect(await send(`${lab}/beacon?cors=1`, 'application/json', 2)).toMatchObject({ mode: 'no-cors', responseType: 'opaque' });
    const refused = await send(`${lab}/beacon`, 'text/plain', 3);
    expect(refused).toMatchObject({ mode: 'cors', status: 0 });
    expect(refused.detail).toContain('answered without CORS headers');
    expect(await send(`${lab}/beacon`, 'text/plain', 4)).toMatchObject({ mode: 'no-cors', responseType: 'opaque' });
    // The refusal was told from an outage by one HEAD; nothing was sent twice.
    expect(suite.stack.lab.records().map((r) => r.method)).toEqual(['POST', 'POST', 'POST', 'HEAD', 'POST']);
  });

  it('several drains at once never send a beacon twice', async () => {
    const p = await openPage([beaconRule(NO_TIMER)]);
    const { ids } = await queueOffline(p, 60);
    await suite.stack.restartLab();
    const more = await p.evaluate(async (url) => {
      for (let i = 0; i < 5; i++) window.dispatchEvent(new Event('online'));
      const [, ...answers] = await Promise.all([
        window.crossrouteTest.outboxState(),
        ...[0, 1, 2].map((n) => fetch(url, { method: 'POST', body: `late ${n}` })),
      ]);
      return answers.map((r) => (r as Response).headers.get('x-crossroute-beacon-id')!);
    }, `${suite.stack.lab.origin}/beacon`);
    ids.push(...more);
    const arrived = await arrivedIds(63, 1000);
    expect(arrived).toHaveLength(63);
    expect(new Set(arrived)).toEqual(new Set(ids));
  });

  it('a full outbox evicts its oldest beacons, counted and logged', async () => {
    const p = await openPage([beaconRule({ ...NO_TIMER, maxEntries: 3 })]);
    const { ids, state } = await queueOffline(p, 5, 3);
    expect(state).toMatchObject({ limits: { maxEntries: 3 }, totals: { queued: 5, evicted: 2 } });
    const evicted = await outcomesWhere(p, (o) => o.kind === 'dropped', 2);
    expect(evicted.map((o) => o.detail!.slice('beacon '.length, 'beacon '.length + 36))).toEqual(ids.slice(0, 2));
    expect(evicted[0]!.detail).toContain('the outbox was full (maxEntries 3');
    await suite.stack.restartLab();
    await relayOnline(p);
    expect((await arrivedIds(3)).sort()).toEqual(ids.slice(2).sort());
  });

  it('batching: beacons to one endpoint share an NDJSON request that names every id', async () => {
    const p = await openPage([beaconRule({ batch: 'ndjson', batchWaitSeconds: 4 })]);
    const ids = await queueBeacons(p, 5);
    const [batch] = await arrivals(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(posts()).toHaveLength(1);
    expect(batch!.body).toBe('{"n":0}\n{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n');
    expect(idOf(batch!)!.split(',')).toEqual(ids);
    const delivered = await outcomesWhere(p, (o) => o.kind === 'delivered', 5);
    expect(delivered[0]!.detail).toContain('in a batch of 5');
  });

  it('the client helper: through the outbox when controlled, a preflight-free sendBeacon when not', async () => {
    const url = `${suite.stack.lab.origin}/beacon`;
    const p = await openPage([beaconRule()]);
    const viaOutbox = await p.evaluate((url) => window.crossrouteTest.beacon(url, { event: 'helper' }), url);
    expect(viaOutbox).toMatchObject({ via: 'outbox', id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const [arrived] = await arrivals(1);
    expect(idOf(arrived!)).toBe(viaOutbox.id);
    expect(arrived!.body).toBe('{"event":"helper"}');
    // sendBeacon (what the helper uses once the page is hidden) also goes through the worker.
    expect(await p.evaluate((url) => window.crossrouteTest.beacon(url, { event: 'hidden' }, { transport: 'send-beacon' }), url)).toEqual({ via: 'send-beacon' });
    const [, second] = await arrivals(2);
    expect(idOf(second!)).toMatch(/^[0-9a-f-]{36}$/);
    await p.close();

    const bare = await openPage();
    expect(await bare.evaluate((url) => window.crossrouteTest.beacon(url, { event: 'bare', list: [1, 2] }), url)).toEqual({ via: 'send-beacon' });
    const [sent] = await arrivals(1);
    expect(sent).toMatchObject({ body: '{"event":"bare","list":[1,2]}', path: '/beacon' });
    expect(sent!.headers['content-type']).toBe('text/plain;charset=UTF-8');
    expect(suite.stack.lab.records().map((r) => r.method)).toEqual(['POST']);
  });

  it("transport 'fetch-later': where fetchLater exists the lab gets it once the page is left (navigated away, or closed), once; elsewhere sendBeacon sends it now", async () => {
    const url = `${suite.stack.lab.origin}/beacon`;
    const later = (p: TestPage, event: string): Promise<unknown> => p.evaluate(({ url, event }) => window.crossrouteTest.beacon(url, { event }, { transport: 'fetch-later' }), { url, event });
    const p = await openPage();
    const hasFetchLater = await p.evaluate(() => 'fetchLater' in window);
    // Measured: Chromium 156 has it; Firefox ESR 153 and WebKitGTK do not.
    expect(hasFetchLater).toBe(engine === 'chromium');
    expect(await p.evaluate(() => window.crossrouteTest.beacon('/x', {}, { transport: 'fetch-later', activateAfterSeconds: -1 }).catch((e: Error) => e.message))).toMatch(
      /activateAfterSeconds must be a number of seconds, 0 or more/,
    );
    expect(await later(p, 'navigated')).toEqual({ via: hasFetchLater ? 'fetch-later' : 'send-beacon' });
    if (hasFetchLater) {
      // Deferred: nothing leaves while the page stays.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(posts()).toEqual([]);
      await p.goto(`${suite.stack.lab.origin}/`);
    }
    const [first] = await arrivals(1);
    expect(first).toMatchObject({ body: '{"event":"navigated"}', path: '/beacon' });
    expect(first!.headers['content-type']).toBe('text/plain;charset=UTF-8');

    const closing = await suite.newPage();
    await closing.goto(suite.stack.pageUrl());
    expect(await later(closing, 'closed')).toEqual({ via: hasFetchLater ? 'fetch-later' : 'send-beacon' });
    await closing.close();
    await arrivals(2);
    // Once each: no second copy turns up.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(posts().map((r) => r.body)).toEqual(['{"event":"navigated"}', '{"event":"closed"}']);

    // In a controlled page fetchLater goes past the worker: no beacon rule (no outbox, no id) sees it.
    const controlled = await openPage([beaconRule()]);
    await later(controlled, 'controlled');
    if (hasFetchLater) await controlled.goto(`${suite.stack.lab.origin}/`);
    const [arrived] = await arrivals(1);
    expect(arrived!.body).toBe('{"event":"controlled"}');
    expect(idOf(arrived!) === null).toBe(hasFetchLater);
  });

  it('fails open: a method no simple request can carry goes to the network untouched, logged as fallback', async () => {
    const p = await openPage([beaconRule({}, '/preflight')]);
    const seen = await p.evaluate((url) => fetch(url, { method: 'PUT', body: 'x' }).then((r) => r.status), `${suite.stack.lab.origin}/preflight`);
    expect(seen).toBe(200);
    const [fallback] = await outcomesWhere(p, (o) => o.kind === 'fallback', 1);
    expect(fallback!.detail).toContain('PUT cannot be sent as a CORS simple request');
    expect(suite.stack.lab.records().map((r) => r.method)).toEqual(['OPTIONS', 'PUT']);
  });

  it('fails open: with IndexedDB broken the beacon goes to the network untouched, logged as fallback', async () => {
    const p = await openPage([beaconRule()], { breakIndexedDB: true });
    expect(await postJson(p, `${suite.stack.lab.origin}/beacon?cors=1`, { event: 'x' })).toEqual({ status: 204, id: null });
    const [fallback] = await outcomesWhere(p, (o) => o.kind === 'fallback', 1);
    expect(fallback!.detail).toContain('IndexedDB broken on purpose');
    expect(suite.stack.lab.records().map((r) => [r.method, r.headers['content-type'] ?? null])).toEqual([['OPTIONS', null], ['POST', 'application/json']]);
  });

  it('a page that opened the outbox database first does not stop beacons being kept and delivered', async () => {
    // App code opens the name before any worker exists: an empty version 1 with no stores.
    const { page: p, version } = await suite.controlledAfterPageOpened('crossroute-outbox', { rules: [beaconRule()] });
    expect(version).toBe(1);
    const answer = await postJson(p, `${suite.stack.lab.origin}/beacon`, { event: 'after-repair' });
    expect(answer).toMatchObject({ status: 200 });
    expect(idOf((await arrivals(1))[0]!)).toBe(answer.id);
    expect((await outcomes(p)).map((o) => o.kind)).not.toContain('fallback');
    expect(await outboxState(p)).toMatchObject({ totals: { queued: 1 } });
  });

  it(`${BEACON_COUNT} beacons through an offline period: all arrive, each once`, async () => {
    const p = await openPage([beaconRule(NO_TIMER)]);
    const { ids } = await queueOffline(p, BEACON_COUNT);
    expect(new Set(ids).size).toBe(BEACON_COUNT);
    await suite.stack.restartLab();
    await relayOnline(p);
    const arrived = await arrivedIds(BEACON_COUNT, 1000, 30_000 + BEACON_COUNT * 10);
    expect(arrived).toHaveLength(BEACON_COUNT);
    expect(new Set(arrived)).toEqual(new Set(ids));
    expect(await outboxState(p)).toMatchObject({ entries: 0, totals: { delivered: BEACON_COUNT } });
  }, 120_000 + BEACON_COUNT * 20);
}, 120_000);
