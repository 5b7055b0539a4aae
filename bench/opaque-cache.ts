import { launch, type BrowserSession, type TestPage } from '../test/helpers/browser.js';
import { formatBytes } from '../src/sw/cache/format-bytes.js';
import { eventually, startStack, type Stack } from '../test/helpers/stack.js';

/**
 * The opaque-cache policy in Chromium, against its anchor in the same run: Workbox's CacheFirst +
 * CacheableResponsePlugin({ statuses: [0, 200] }) + ExpirationPlugin, in the same worker.
 *
 * 1. Cache-hit latency: the page fetches warm opaque entries (the lab sees nothing: every answer
 *    comes from a cache), crossroute and Workbox in alternating batches.
 * 2. Quota: navigator.storage.estimate() before and after N opaque entries, each system in a fresh
 *    profile: Chromium's padded cost per entry, and whether crossroute's maxBytes holds.
 *
 * Run after the build: `npx rollup -c --silent && npx tsx bench/opaque-cache.ts`.
 */
const WARM_URLS = 30;
const ROUNDS = 15;
const QUOTA_ENTRIES = 60;
/** The quota phase's budget; the latency phase's is large enough to keep every warm entry. */
const MAX_BYTES = 100_000_000;
const NO_BYTE_LIMIT = Number.MAX_SAFE_INTEGER;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function benchPage(browser: BrowserSession, stack: Stack, maxBytes: number): Promise<TestPage> {
  const page = await browser.newPage();
  await page.goto(`${stack.app.origin}/test.html`);
  await page.evaluate(
    ({ lab, maxBytes }) => navigator.serviceWorker.register(`/bench-opaque-cache-sw.js?lab=${encodeURIComponent(lab)}&maxBytes=${maxBytes}`),
    { lab: stack.lab.origin, maxBytes },
  );
  await page.waitForController();
  return page;
}

/** Fetches each URL once, one after another; resolves with each fetch's milliseconds. */
const fetchAll = (page: TestPage, urls: string[], mode: 'no-cors' | 'cors' = 'no-cors'): Promise<number[]> =>
  page.evaluate(
    async ({ urls, mode }) => {
      const times: number[] = [];
      for (const url of urls) {
        const start = performance.now();
        const response = await fetch(url, { mode });
        if (response.type !== (mode === 'cors' ? 'cors' : 'opaque')) throw new Error(`${url}: unexpected ${response.type} response`);
        times.push(performance.now() - start);
      }
      return times;
    },
    { urls, mode },
  );

const cacheSize = (page: TestPage, cacheName: string): Promise<number> =>
  page.evaluate(async (name) => (await (await caches.open(name)).keys()).length, cacheName);

const usage = (page: TestPage): Promise<{ caches: number }> =>
  page.evaluate(async () => {
    const estimate = (await navigator.storage.estimate()) as StorageEstimate & { usageDetails?: { caches?: number } };
    return { caches: estimate.usageDetails?.caches ?? 0 };
  });

/** crossroute's stores run one after another: all have settled once the last URL is stored or evicted. */
async function crossrouteSettled(page: TestPage, last: string): Promise<void> {
  await eventually(
    () =>
      page.evaluate(async (last) => {
        const cached = await (await caches.open('crossroute-bench:no-cors')).match(last);
        const outcomes = await new Promise<Array<{ kind: string; url: string }>>((resolve) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = (event) => resolve(event.data);
          navigator.serviceWorker.controller!.postMessage({ type: 'outcomes' }, [channel.port2]);
        });
        return cached || outcomes.some((o) => o.kind === 'evicted' && o.url === last) ? true : undefined;
      }, last),
    120_000,
  );
}

async function latency(browser: BrowserSession, stack: Stack): Promise<void> {
  const page = await benchPage(browser, stack, NO_BYTE_LIMIT);
  const lab = stack.lab.origin;
  const ours = Array.from({ length: WARM_URLS }, (_, i) => `${lab}/assets/pixel.png?latency=${i}`);
  const theirs = ours.map((url) => `${url}&workbox`);
  await fetchAll(page, [...ours, ...theirs]);
  await crossrouteSettled(page, ours.at(-1)!);
  await eventually(async () => ((await cacheSize(page, 'workbox-anchor')) === WARM_URLS ? true : undefined));
  stack.lab.clear();

  // Per round, one batch of sequential hits each, timed as a whole (the page's clock is coarsened to
  // 0.1 ms, one hit takes a few); who goes first alternates by round.
  const perHit = { crossroute: [] as number[], workbox: [] as number[] };
  const hits = { crossroute: [] as number[], workbox: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const batches = round % 2 === 0 ? (['crossroute', 'workbox'] as const) : (['workbox', 'crossroute'] as const);
    for (const system of batches) {
      const times = await fetchAll(page, system === 'crossroute' ? ours : theirs);
      perHit[system].push(times.reduce((sum, t) => sum + t, 0) / times.length);
      hits[system].push(...times);
    }
  }
  if (stack.lab.records().length > 0) throw new Error(`the lab saw ${stack.lab.records().length} requests: not every fetch was a cache hit`);
  const [c, w] = [median(perHit.crossroute), median(perHit.workbox)];
  const [c1, w1] = [median(hits.crossroute), median(hits.workbox)];
  console.log(`cache-hit latency (page fetch() to response), ${ROUNDS} interleaved rounds of ${WARM_URLS} sequential hits per system`);
  console.log('                          median of round means   median single hit (0.1 ms clock)');
  console.log(`  crossroute opaque-cache  ${c.toFixed(3).padStart(8)} ms             ${c1.toFixed(1).padStart(6)} ms`);
  console.log(`  Workbox CacheFirst       ${w.toFixed(3).padStart(8)} ms             ${w1.toFixed(1).padStart(6)} ms`);
  console.log(`  crossroute / Workbox     ${(c / w).toFixed(2).padStart(8)}x               ${(c1 / w1).toFixed(2).padStart(6)}x`);
  await page.close();
}

type Fill = 'crossroute' | 'workbox' | 'crossroute-cors';

/** N entries stored by one system in a fresh profile: opaque ones, or readable ones (CORS). */
async function fill(browser: BrowserSession, stack: Stack, system: Fill): Promise<{ added: number; total: number; kept: number }> {
  const page = await benchPage(browser, stack, MAX_BYTES);
  const before = await usage(page);
  const query = { crossroute: '', workbox: '&workbox', 'crossroute-cors': '&cors=1' }[system];
  const urls = Array.from({ length: QUOTA_ENTRIES }, (_, i) => `${stack.lab.origin}/assets/pixel.png?quota=${i}${query}`);
  await fetchAll(page, urls, system === 'crossroute-cors' ? 'cors' : 'no-cors');
  const cacheName = { crossroute: 'crossroute-bench:no-cors', workbox: 'workbox-anchor', 'crossroute-cors': 'crossroute-bench:cors' }[system];
  if (system === 'crossroute') await crossrouteSettled(page, urls.at(-1)!);
  else await eventually(async () => ((await cacheSize(page, cacheName)) === QUOTA_ENTRIES ? true : undefined), 60_000);
  const after = await usage(page);
  const kept = await cacheSize(page, cacheName);
  await page.close();
  return { added: after.caches - before.caches, total: after.caches, kept };
}

async function quota(browser: BrowserSession, stack: Stack): Promise<void> {
  const workbox = await fill(browser, stack, 'workbox');
  const crossroute = await fill(browser, stack, 'crossroute');
  const readable = await fill(browser, stack, 'crossroute-cors');
  console.log(`\nquota: ${QUOTA_ENTRIES} entries of a 70-byte image, each system in a fresh profile; navigator.storage.estimate().usageDetails.caches`);
  console.log(`  Workbox, opaque (maxEntries 1000)       ${formatBytes(workbox.total).padStart(9)} for ${workbox.kept} entries: ${formatBytes(Math.round(workbox.added / workbox.kept))} per entry`);
  console.log(`  crossroute, opaque (maxBytes ${formatBytes(MAX_BYTES)})  ${formatBytes(crossroute.total).padStart(9)} for ${crossroute.kept} entries: the budget ${crossroute.total <= MAX_BYTES ? 'holds' : 'is EXCEEDED'}`);
  console.log(`  crossroute, cors mode (readable)        ${formatBytes(readable.total).padStart(9)} for ${readable.kept} entries: ${formatBytes(Math.round(readable.added / readable.kept))} per entry`);
}

const stack = await startStack();
const browser = await launch('chromium');
try {
  console.log(`opaque-cache bench, Chromium ${browser.version}, Node ${process.version}`);
  await latency(browser, stack);
  await quota(browser, stack);
} finally {
  await browser.close();
  await stack.close();
}
