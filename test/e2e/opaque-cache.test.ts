import { describe, expect, it } from 'vitest';
import { PIXEL } from '../../demo/lab/assets.js';
import type { Outcome } from '../../src/model/outcome.js';
import type { CacheEntryRecord } from '../../src/sw/cache/cache-entry.js';
import type { OpaqueCacheOptions } from '../../src/sw/index.js';
import { enginesFromEnv, fontRequestMode, type TestPage } from '../helpers/browser.js';
import { useE2eSuite } from '../helpers/e2e-suite.js';
import type { TestConfig } from '../fixtures/test-config.js';
import { eventually } from '../helpers/stack.js';

/**
 * The opaque-cache policy through the real worker, against the real lab: offline, mode-correct,
 * bounded opaque errors, the budget and quota errors, redirects, and the three strategies.
 */

/** What the page's fetch() saw. */
interface Answer {
  type?: string;
  status?: number;
  body?: string;
  error?: string;
}

const STORES = { 'no-cors': 'test:no-cors', cors: 'test:cors' } as const;

describe.each(enginesFromEnv())('the opaque-cache policy, in %s', (engine) => {
  const suite = useE2eSuite(engine);
  const fontMode = fontRequestMode(engine);

  const workerConfig = (options: OpaqueCacheOptions = {}, extra: Omit<TestConfig, 'rules'> = {}): TestConfig => ({
    rules: [{ match: { origin: suite.stack.lab.origin }, policy: 'opaque-cache', options: { cacheName: 'test', ...options } }],
    ...extra,
  });
  const controlledPage = (config: TestConfig): Promise<TestPage> => suite.controlledPage(config);
  const get = (p: TestPage, path: string, mode: RequestMode = 'no-cors'): Promise<Answer> =>
    p.evaluate(
      ({ url, mode }) =>
        fetch(url, { mode }).then(
          async (r) => ({ type: r.type, status: r.status, body: r.type === 'opaque' ? '' : await r.text() }),
          (error: unknown) => ({ error: String(error) }),
        ),
      { url: `${suite.stack.lab.origin}${path}`, mode },
    );
  /** The worker's outcomes (or, with 'clear-outcomes', none after clearing them), from any page it controls. */
  const askWorker = (p: TestPage, type: 'outcomes' | 'clear-outcomes'): Promise<Outcome[]> =>
    p.evaluate(
      (type) =>
        new Promise<Outcome[]>((resolve) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = (event) => resolve(event.data as Outcome[]);
          navigator.serviceWorker.controller!.postMessage({ type }, [channel.port2]);
        }),
      type,
    );
  const outcomes = (p: TestPage): Promise<Outcome[]> => askWorker(p, 'outcomes');
  /** Waits until the worker has recorded `count` outcomes of `kind`, and returns them. */
  const recorded = (p: TestPage, kind: Outcome['kind'], count = 1): Promise<Outcome[]> =>
    eventually(async () => {
      const found = (await outcomes(p)).filter((o) => o.kind === kind);
      return found.length >= count ? found : undefined;
    });
  const stored = (p: TestPage, cacheName: string): Promise<string[]> =>
    p.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname + new URL(r.url).search).sort(), cacheName);
  /** Waits until the cache holds exactly these paths, each with its record (stores run in the background). */
  const settled = (p: TestPage, cacheName: string, paths: string[]): Promise<string[]> =>
    eventually(async () => {
      const want = JSON.stringify([...paths].sort());
      const now = await stored(p, cacheName);
      const recorded = (await records(p)).filter((r) => r.cacheName === cacheName).map((r) => pathOf(r.url)).sort();
      return JSON.stringify(now) === want && JSON.stringify(recorded) === want ? now : undefined;
    });
  /** The worker's cache records, read from the page without ever creating the database. */
  const records = (p: TestPage): Promise<CacheEntryRecord[]> =>
    p.evaluate(async () => {
      if (!(await indexedDB.databases()).some((d) => d.name === 'crossroute-cache')) return [];
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('crossroute-cache');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const all = await new Promise<CacheEntryRecord[]>((resolve) => {
        const query = db.transaction('entries').objectStore('entries').getAll();
        query.onsuccess = () => resolve(query.result as CacheEntryRecord[]);
      });
      db.close();
      return all;
    });
  const arrived = (): string[] => suite.stack.lab.records().map((r) => `${r.method} ${r.path}`);
  const pathOf = (url: string): string => new URL(url).pathname + new URL(url).search;

  it('serves a page\'s third-party image, stylesheet, script and font from cache after the lab is really stopped', async () => {
    const lab = suite.stack.lab.origin;
    const config = workerConfig();
    suite.stack.lab.clear();
    const page = await suite.newPage();
    await page.goto(`${suite.stack.app.origin}/assets.html?lab=${encodeURIComponent(lab)}&config=${encodeURIComponent(JSON.stringify(config))}`);
    const expected = { image: { width: PIXEL.width, height: PIXEL.height }, color: 'rgb(0, 128, 0)', scriptRan: true, font: 'loaded' };
    expect(await page.evaluate(() => window.assetsDemo.loaded)).toEqual(expected);
    // The font is in whichever mode the engine asked for it: an opaque entry where that is no-cors.
    const font = '/assets/font.ttf?cors=1';
    await settled(page, STORES['no-cors'], ['/assets/pixel.png', '/assets/script.js', '/assets/style.css', ...(fontMode === 'no-cors' ? [font] : [])]);
    await settled(page, STORES.cors, fontMode === 'cors' ? [font] : []);
    expect(arrived().sort()).toEqual(['GET /assets/font.ttf?cors=1', 'GET /assets/pixel.png', 'GET /assets/script.js', 'GET /assets/style.css']);

    await suite.stack.lab.close();
    try {
      await askWorker(page, 'clear-outcomes');
      await page.reload();
      expect(await page.evaluate(() => window.assetsDemo.loaded)).toEqual(expected);
      const hits = await recorded(page, 'cache-hit', 4);
      expect(hits.map((o) => [pathOf(o.url), o.mode, o.responseType]).sort()).toEqual([
        [font, fontMode, fontMode === 'cors' ? 'cors' : 'opaque'],
        ['/assets/pixel.png', 'no-cors', 'opaque'],
        ['/assets/script.js', 'no-cors', 'opaque'],
        ['/assets/style.css', 'no-cors', 'opaque'],
      ]);
      expect(hits.map((o) => o.detail)).toEqual(Array(4).fill(expect.stringMatching(/^fresh/)));
      expect(await outcomes(page)).toHaveLength(4);
    } finally {
      await suite.stack.restartLab();
    }
  });

  it('never answers a cors-mode request with an opaque response, cached or not', async () => {
    const p = await controlledPage(workerConfig());
    expect(await get(p, '/assets/script.js')).toMatchObject({ type: 'opaque', status: 0 });
    await settled(p, STORES['no-cors'], ['/assets/script.js']);

    // The same URL in cors mode: the opaque entry is not its to use, and the origin has no CORS.
    const refused = await get(p, '/assets/script.js', 'cors');
    expect(refused).toMatchObject({ status: 502 });
    expect(refused.type).not.toBe('opaque');
    expect(JSON.parse(refused.body!)).toMatchObject({ error: 'crossroute-cors-unavailable', rule: 0 });
    // A font from that origin: refused where fonts are cors-mode; where the engine asks in no-cors
    // mode, an opaque response may answer it, and the font loads.
    const font = await p.evaluate((url) => new FontFace('NoCors', `url(${url})`).load().then((f) => f.status, (e: unknown) => `failed: ${String(e)}`), `${suite.stack.lab.origin}/assets/font.ttf`);
    if (fontMode === 'cors') {
      expect(font).toMatch(/^failed/);
    } else {
      expect(font).toBe('loaded');
      expect((await recorded(p, 'cache-miss', 2))[1]).toMatchObject({ url: `${suite.stack.lab.origin}/assets/font.ttf`, mode: 'no-cors', responseType: 'opaque' });
    }
    const blocked = await recorded(p, 'cors-blocked', fontMode === 'cors' ? 2 : 1);
    expect(blocked.map((o) => [pathOf(o.url), o.mode, o.status])).toEqual([
      ['/assets/script.js', 'cors', 502],
      ...(fontMode === 'cors' ? [['/assets/font.ttf', 'cors', 502]] : []),
    ]);
    expect(blocked[0]!.detail).toContain('without CORS');
    expect(await stored(p, STORES.cors)).toEqual([]);

    await suite.stack.lab.close();
    try {
      expect(await get(p, '/assets/script.js', 'cors')).toMatchObject({ error: expect.stringContaining('TypeError') });
      expect(await get(p, '/assets/script.js')).toMatchObject({ type: 'opaque' });
      expect((await recorded(p, 'network-error'))[0]).toMatchObject({ mode: 'cors', responseType: null });
      expect((await recorded(p, 'cache-hit'))[0]).toMatchObject({ mode: 'no-cors', responseType: 'opaque' });
    } finally {
      await suite.stack.restartLab();
    }
  });

  it('fetches an opaque 404 again once its TTL has passed', async () => {
    // Long enough that a loaded machine still asks again within it; the test then waits it out.
    const ttlSeconds = 3;
    const p = await controlledPage(workerConfig({ opaqueTtlSeconds: ttlSeconds }));
    await get(p, '/status/404');
    await settled(p, STORES['no-cors'], ['/status/404']);
    const [{ storedAt }] = (await records(p)) as [CacheEntryRecord];
    expect(await get(p, '/status/404')).toMatchObject({ type: 'opaque' });
    expect(arrived()).toEqual(['GET /status/404']);
    await new Promise((resolve) => setTimeout(resolve, storedAt + ttlSeconds * 1000 + 200 - Date.now()));
    expect(await get(p, '/status/404')).toMatchObject({ type: 'opaque' });
    expect(arrived()).toEqual(['GET /status/404', 'GET /status/404']);
    await recorded(p, 'revalidated');
    expect((await outcomes(p)).map((o) => o.kind)).toEqual(['cache-miss', 'cache-hit', 'revalidated']);
  });

  it('with corsCheck, learns the real status where the origin allows CORS: errors are not stored, successes cost their real size', async () => {
    const p = await controlledPage(workerConfig({ corsCheck: true }));
    expect(await get(p, '/status/404?cors=1')).toMatchObject({ type: 'cors', status: 404 });
    expect(await get(p, '/status/404?cors=1')).toMatchObject({ status: 404 });
    expect(await get(p, '/assets/pixel.png?cors=1')).toMatchObject({ type: 'cors', status: 200 });
    expect(await get(p, '/assets/style.css')).toMatchObject({ type: 'opaque' });
    await settled(p, STORES['no-cors'], ['/assets/pixel.png?cors=1', '/assets/style.css']);
    expect(arrived()).toEqual(['GET /status/404?cors=1', 'GET /status/404?cors=1', 'GET /assets/pixel.png?cors=1', 'GET /assets/style.css', 'GET /assets/style.css']);
    expect((await recorded(p, 'cache-refused', 2)).map((o) => o.detail)).toEqual(['status 404 is not stored (only 2xx)', 'status 404 is not stored (only 2xx)']);
    const sizes = Object.fromEntries((await records(p)).map((r) => [pathOf(r.url), { opaque: r.opaque, size: r.size }]));
    expect(sizes['/assets/pixel.png?cors=1']).toMatchObject({ opaque: false });
    expect(sizes['/assets/style.css']).toMatchObject({ opaque: true });
    // The padding: an opaque entry of a 47-byte stylesheet counts far more than a readable image.
    expect(sizes['/assets/style.css']!.size).toBeGreaterThan(5 * sizes['/assets/pixel.png?cors=1']!.size);
  });

  it.each([
    ['no-store', 'Cache-Control: no-store is not stored'],
    ['private, max-age=60', 'Cache-Control: private is not stored'],
    // CORS hides the Vary: Authorization from the worker, so the Authorization on the request decides.
    ['public, max-age=60', 'an answer to a request with Authorization is not stored: entries are keyed by URL alone, and would answer other users'],
  ])('never answers one user with another\'s record (Cache-Control: %s, Vary: Authorization)', async (cacheControl, refusal) => {
    const p = await controlledPage(workerConfig());
    const path = `/account?cache-control=${encodeURIComponent(cacheControl)}`;
    const as = (user: string) =>
      p.evaluate(
        ({ url, user }) => fetch(url, { headers: { authorization: user } }).then((r) => r.text()),
        { url: `${suite.stack.lab.origin}${path}`, user },
      );
    expect(await as('Bearer alice')).toBe('{"user":"Bearer alice"}');
    expect(await as('Bearer bob')).toBe('{"user":"Bearer bob"}');
    expect(arrived().filter((line) => line.startsWith('GET'))).toEqual([`GET ${path}`, `GET ${path}`]);
    expect((await recorded(p, 'cache-refused', 2)).map((o) => o.detail)).toEqual([refusal, refusal]);
    expect(await stored(p, STORES.cors)).toEqual([]);
  });

  it('keeps the cache inside maxEntries by evicting the least recently used entry', async () => {
    const p = await controlledPage(workerConfig({ maxEntries: 3 }));
    for (const n of [1, 2, 3]) {
      await get(p, `/assets/pixel.png?n=${n}`);
      await settled(p, STORES['no-cors'], Array.from({ length: n }, (_, i) => `/assets/pixel.png?n=${i + 1}`));
    }
    await get(p, '/assets/pixel.png?n=1'); // a hit: n=2 is now the least recently used
    await get(p, '/assets/pixel.png?n=4');
    await settled(p, STORES['no-cors'], ['/assets/pixel.png?n=1', '/assets/pixel.png?n=3', '/assets/pixel.png?n=4']);
    const [evicted] = await recorded(p, 'evicted');
    expect(evicted).toMatchObject({ url: `${suite.stack.lab.origin}/assets/pixel.png?n=2`, mode: 'no-cors', policy: 'opaque-cache', ruleIndex: 0 });
    expect(evicted!.detail).toContain('maxEntries is 3');
    expect((await records(p)).map((r) => pathOf(r.url)).sort()).toEqual(['/assets/pixel.png?n=1', '/assets/pixel.png?n=3', '/assets/pixel.png?n=4']);
  });

  it('keeps the cache inside maxBytes, counting measured padded sizes', async () => {
    const maxBytes = 40_000_000;
    const p = await controlledPage(workerConfig({ maxBytes }));
    const urls = Array.from({ length: 8 }, (_, i) => `${suite.stack.lab.origin}/assets/pixel.png?b=${i + 1}`);
    for (const url of urls) await get(p, pathOf(url));
    // Stores run one after another, each followed by its evictions: all have settled once the last
    // URL is stored or evicted and the cache and its records agree again.
    const kept = await eventually(async () => {
      const now = await records(p);
      const seen = new Set([...now.map((r) => r.url), ...(await outcomes(p)).filter((o) => o.kind === 'evicted').map((o) => o.url)]);
      const agree = (await stored(p, STORES['no-cors'])).length === now.length;
      return seen.has(urls.at(-1)!) && agree && now.reduce((sum, r) => sum + r.size, 0) <= maxBytes ? now : undefined;
    });
    expect(Math.min(...kept.map((r) => r.size))).toBeGreaterThan(1000); // measured: the padding, not the 70-byte body
    if (engine === 'chromium') {
      // Chromium reports Cache Storage usage apart: the real quota cost, padding included.
      const usage = await p.evaluate(async () => ((await navigator.storage.estimate()) as { usageDetails?: { caches?: number } }).usageDetails?.caches ?? 0);
      expect(usage).toBeGreaterThan(0);
      expect(usage).toBeLessThanOrEqual(maxBytes);
    }
  });

  it('answers QuotaExceededError by evicting and retrying once; the page never sees it', async () => {
    // Fixed sizes, so making room for one entry evicts exactly one.
    const p = await controlledPage(workerConfig({ measureSize: false, opaqueSizeBytes: 1000 }, { quotaFaults: { after: 2, count: 1 } }));
    for (const n of [1, 2]) await get(p, `/assets/pixel.png?q=${n}`);
    await settled(p, STORES['no-cors'], ['/assets/pixel.png?q=1', '/assets/pixel.png?q=2']);
    expect(await get(p, '/assets/pixel.png?q=3')).toMatchObject({ type: 'opaque' });
    await settled(p, STORES['no-cors'], ['/assets/pixel.png?q=2', '/assets/pixel.png?q=3']);
    const [evicted] = await recorded(p, 'evicted');
    expect(evicted).toMatchObject({ url: `${suite.stack.lab.origin}/assets/pixel.png?q=1` });
    expect(evicted!.detail).toContain('QuotaExceededError');
    expect(p.pageErrors().join('\n')).not.toMatch(/quota/i);
  });

  it('gives up storing (never the response) when the retry fails too', async () => {
    const p = await controlledPage(workerConfig({ measureSize: false, opaqueSizeBytes: 1000 }, { quotaFaults: { after: 1, count: 2 } }));
    await get(p, '/assets/pixel.png?r=1');
    await settled(p, STORES['no-cors'], ['/assets/pixel.png?r=1']);
    expect(await get(p, '/assets/pixel.png?r=2')).toMatchObject({ type: 'opaque' });
    const [refused] = await recorded(p, 'cache-refused');
    expect(refused).toMatchObject({ url: `${suite.stack.lab.origin}/assets/pixel.png?r=2` });
    expect(refused!.detail).toContain('QuotaExceededError');
    expect(await stored(p, STORES['no-cors'])).toEqual([]);
    expect(await get(p, '/assets/pixel.png?r=2')).toMatchObject({ type: 'opaque' });
    expect(p.pageErrors().join('\n')).not.toMatch(/quota/i);
  });

  it('caches the final opaque response of a no-cors redirect chain and serves it offline', async () => {
    const p = await controlledPage(workerConfig());
    expect(await get(p, '/no-cors-redirect')).toMatchObject({ type: 'opaque' });
    expect(arrived()).toEqual(['GET /no-cors-redirect', 'GET /cors']);
    expect(await get(p, '/cors-redirect', 'cors')).toMatchObject({ type: 'cors', status: 200, body: '{"endpoint":"cors"}' });
    await settled(p, STORES['no-cors'], ['/no-cors-redirect']);
    await settled(p, STORES.cors, ['/cors-redirect']);
    const [opaque, readable] = await recorded(p, 'cache-miss', 2);
    // An opaque response hides its URL list, so no one (worker or page) can see the redirect: the detail says so.
    expect(opaque).toMatchObject({ responseType: 'opaque', redirected: false });
    expect(opaque!.detail).toContain('redirects are hidden');
    expect(readable).toMatchObject({ responseType: 'cors', redirected: true });

    await suite.stack.lab.close();
    try {
      expect(await get(p, '/no-cors-redirect')).toMatchObject({ type: 'opaque' });
      expect(await get(p, '/cors-redirect', 'cors')).toMatchObject({ status: 200, body: '{"endpoint":"cors"}' });
      expect((await recorded(p, 'cache-hit', 2)).map((o) => [pathOf(o.url), o.responseType])).toEqual([
        ['/no-cors-redirect', 'opaque'],
        ['/cors-redirect', 'cors'],
      ]);
    } finally {
      await suite.stack.restartLab();
    }
  });

  it('never answers a navigation with a cached redirected response', async () => {
    const config: TestConfig = { rules: [{ match: { crossOrigin: false, path: '/same-origin/**' }, policy: 'opaque-cache', options: { cacheName: 'test' } }] };
    const p = await controlledPage(config);
    // fetch() follows the redirect: the entry under /same-origin/redirect is a redirected response.
    const fetched = await p.evaluate(async () => {
      const response = await fetch('/same-origin/redirect');
      return { redirected: response.redirected, body: await response.text() };
    });
    expect(fetched).toEqual({ redirected: true, body: '{"endpoint":"same-origin"}' });
    await settled(p, STORES.cors, ['/same-origin/redirect']);
    await p.goto(`${suite.stack.app.origin}/same-origin/redirect`);
    expect(await p.evaluate(() => [location.pathname, document.body.textContent])).toEqual(['/same-origin/data.json', '{"endpoint":"same-origin"}']);
    await p.goto(`${suite.stack.app.origin}/test.html`);
    const navigation = (await outcomes(p)).filter((o) => o.mode === 'navigate');
    expect(navigation.map((o) => [pathOf(o.url), o.kind, o.responseType])).toEqual([
      ['/same-origin/redirect', 'cache-refused', 'opaqueredirect'],
      ['/same-origin/data.json', 'cache-miss', 'basic'],
    ]);
  });

  it('stale-while-revalidate answers from cache and refreshes it in the background', async () => {
    const p = await controlledPage(workerConfig({ strategy: 'stale-while-revalidate' }));
    await get(p, '/assets/pixel.png');
    await settled(p, STORES['no-cors'], ['/assets/pixel.png']);
    expect(await get(p, '/assets/pixel.png')).toMatchObject({ type: 'opaque' });
    const [revalidated] = await recorded(p, 'revalidated');
    expect(revalidated).toMatchObject({ responseType: 'opaque', mode: 'no-cors' });
    expect((await outcomes(p)).map((o) => o.kind)).toEqual(['cache-miss', 'cache-hit', 'revalidated']);
    expect(arrived()).toEqual(['GET /assets/pixel.png', 'GET /assets/pixel.png']);
  });

  it('network-first asks the network each time and falls back to the cache when the lab is down', async () => {
    const p = await controlledPage(workerConfig({ strategy: 'network-first' }));
    expect(await get(p, '/cors', 'cors')).toMatchObject({ status: 200 });
    await settled(p, STORES.cors, ['/cors']);
    expect(await get(p, '/cors', 'cors')).toMatchObject({ status: 200 });
    expect(arrived()).toEqual(['GET /cors', 'GET /cors']);
    await suite.stack.lab.close();
    try {
      expect(await get(p, '/cors', 'cors')).toMatchObject({ type: 'cors', status: 200, body: '{"endpoint":"cors"}' });
      expect(await get(p, '/no-cors')).toMatchObject({ error: expect.stringContaining('TypeError') });
      await recorded(p, 'network-error');
      expect((await outcomes(p)).map((o) => o.kind)).toEqual(['cache-miss', 'revalidated', 'cache-hit', 'network-error']);
    } finally {
      await suite.stack.restartLab();
    }
  });

  it('network-first with networkTimeoutSeconds answers from the cache when the network is late, and stores the late answer', async () => {
    const p = await controlledPage(workerConfig({ strategy: 'network-first', networkTimeoutSeconds: 0.3 }));
    expect(await get(p, '/cors', 'cors')).toMatchObject({ status: 200 });
    await settled(p, STORES.cors, ['/cors']);
    suite.stack.lab.setLatency(1500);
    try {
      const started = Date.now();
      expect(await get(p, '/cors', 'cors')).toMatchObject({ type: 'cors', status: 200, body: '{"endpoint":"cors"}' });
      expect(Date.now() - started).toBeLessThan(1200);
      await recorded(p, 'revalidated');
      const [miss, hit, late] = await outcomes(p);
      expect([miss!.kind, hit!.kind, late!.kind]).toEqual(['cache-miss', 'cache-hit', 'revalidated']);
      expect(hit!.detail).toContain('the network did not answer within 0.3 s');
      expect(late!.detail).toContain('answered after the 0.3 s timeout');
    } finally {
      suite.stack.lab.setLatency(0);
    }
  });

  it('keeps time, size and last use in its own IndexedDB database', async () => {
    const p = await controlledPage(workerConfig({ maxEntries: 2 }));
    const before = Date.now();
    for (const n of [1, 2]) await get(p, `/assets/pixel.png?m=${n}`);
    await settled(p, STORES['no-cors'], ['/assets/pixel.png?m=1', '/assets/pixel.png?m=2']);
    const [first, second] = (await records(p)).sort((a, b) => a.lastUsed - b.lastUsed);
    expect(first).toMatchObject({ cacheName: STORES['no-cors'], url: `${suite.stack.lab.origin}/assets/pixel.png?m=1`, budget: 'test', opaque: true });
    expect(first!.storedAt).toBeGreaterThanOrEqual(before);
    expect(first!.size).toBeGreaterThan(0);
    expect(second!.lastUsed).toBeGreaterThan(first!.lastUsed);
  });

  it('a restarted worker reads the records back: the LRU order survives', async (context) => {
    const p = await controlledPage(workerConfig({ maxEntries: 2 }));
    if (!p.canStopServiceWorkers) context.skip(`${engine} cannot stop a service worker from a test`);
    for (const n of [1, 2]) await get(p, `/assets/pixel.png?m=${n}`);
    await settled(p, STORES['no-cors'], ['/assets/pixel.png?m=1', '/assets/pixel.png?m=2']);
    await p.stopServiceWorkers();
    // A fresh worker, so m=1 goes first only if the records outlived the old one.
    await get(p, '/assets/pixel.png?m=3');
    await settled(p, STORES['no-cors'], ['/assets/pixel.png?m=2', '/assets/pixel.png?m=3']);
  });
});
