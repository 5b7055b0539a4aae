import { chromium } from 'playwright-core';
import { launch, type TestPage } from '../test/helpers/browser.js';
import { ARGS } from '../test/helpers/engines/chromium.js';
import { startStack } from '../test/helpers/stack.js';
import type { TestConfig } from '../test/fixtures/test-config.js';

/**
 * Experiment (issue 17, not a test: it takes ~1.5 min per engine): does a browser's idle timeout
 * stop a service worker whose waitUntil is still pending, and does the log's write at the end of
 * it survive? The page asks the worker (test-sw.ts `hold`) to hold a waitUntil for HOLD_SECONDS
 * (longer than the ~30 s idle timeout) and then write one outcome to the log; the page stays open
 * and quiet. Then it reads the log and asks the worker for its instance id (a new id: the browser
 * stopped the worker and started it again), waits IDLE_SECONDS more with no event and asks again.
 * In Chromium, CDP's ServiceWorker domain also prints every change of the worker's running status.
 * Caveat: playwright attaches a debugger to every Chromium service worker, and Chromium does not
 * stop an idle worker that is being debugged (README, "Off the critical path, durable").
 *
 *   npm run build && ENGINES=chromium,firefox HOLD_SECONDS=45 npx tsx bench/log-idle.ts
 */
const HOLD_SECONDS = Number(process.env.HOLD_SECONDS ?? 45);
const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 40);
const engines = (process.env.ENGINES ?? 'chromium,firefox').split(',') as Array<'chromium' | 'firefox'>;
const stack = await startStack();
const config: TestConfig = { rules: [{ match: { origin: stack.lab.origin }, policy: 'passthrough' }], log: {} };
const t0 = { at: 0 };
const since = (): string => `${((Date.now() - t0.at) / 1000).toFixed(1)} s`;

/** In the page: the worker's instance id, the held outcome's url logged or not. */
const probe = (evaluate: TestPage['evaluate'], url: string): Promise<{ instance: string; logged: boolean }> =>
  evaluate(
    async (url) => {
      const { outcomes } = await window.crossrouteTest.log.query({ limit: 10_000 });
      const channel = new MessageChannel();
      const instance = new Promise<string>((resolve) => (channel.port1.onmessage = (e) => resolve(e.data as string)));
      navigator.serviceWorker.controller!.postMessage({ type: 'instance' }, [channel.port2]);
      return { instance: await instance, logged: outcomes.some((o) => o.url === url) };
    },
    url,
  );
const hold = (evaluate: TestPage['evaluate'], url: string, ms: number): Promise<string> =>
  evaluate(
    async ({ url, ms }) => {
      const channel = new MessageChannel();
      const instance = new Promise<string>((resolve) => (channel.port1.onmessage = (e) => resolve(e.data as string)));
      navigator.serviceWorker.controller!.postMessage({ type: 'instance' }, [channel.port2]);
      navigator.serviceWorker.controller!.postMessage({ type: 'hold', ms, url });
      return instance;
    },
    { url, ms },
  );

try {
  for (const engine of engines) {
    t0.at = Date.now();
    const url = `${stack.lab.origin}/held?engine=${engine}&t=${Date.now()}`;
    let evaluate: TestPage['evaluate'];
    let close: () => Promise<void>;
    if (engine === 'chromium') {
      // playwright-core directly, for a CDP session on the page (the harness hides it).
      const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
      const page = await (await browser.newContext()).newPage();
      const cdp = await page.context().newCDPSession(page);
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        for (const v of versions) console.log(`  ${since().padStart(7)}  chromium worker version ${v.versionId}: ${v.runningStatus} (${v.status})`);
      });
      await cdp.send('ServiceWorker.enable');
      await page.goto(stack.pageUrl(config));
      evaluate = (fn, arg) => page.evaluate(fn as never, arg);
      close = () => browser.close();
    } else {
      const browser = await launch(engine);
      const page = await browser.newPage();
      await page.goto(stack.pageUrl(config));
      evaluate = page.evaluate.bind(page);
      close = () => browser.close();
    }
    await evaluate(() => window.crossrouteTest.ready);
    await evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await evaluate(() => (navigator.serviceWorker.controller ? undefined : new Promise<void>((r) => navigator.serviceWorker.addEventListener('controllerchange', () => r()))));
    t0.at = Date.now();
    const before = await hold(evaluate, url, HOLD_SECONDS * 1000);
    console.log(`  ${since().padStart(7)}  ${engine}: waitUntil held ${HOLD_SECONDS} s by worker instance ${before.slice(0, 8)}; the page stays open and quiet`);
    await new Promise((resolve) => setTimeout(resolve, (HOLD_SECONDS + 5) * 1000));
    const after = await probe(evaluate, url);
    console.log(`  ${since().padStart(7)}  ${engine}: held outcome logged: ${after.logged}; worker instance now ${after.instance.slice(0, 8)} (${after.instance === before ? 'the same: not stopped' : 'a new one: it was stopped'})`);
    // Then nothing for IDLE_SECONDS: an idle worker is stopped (a new instance answers).
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const idle = await probe(evaluate, url);
    console.log(`  ${since().padStart(7)}  ${engine}: after ${IDLE_SECONDS} s more with no event, worker instance ${idle.instance.slice(0, 8)} (${idle.instance === after.instance ? 'the same: not stopped' : 'a new one: it was stopped'})`);
    await close();
  }
} finally {
  await stack.close();
}
