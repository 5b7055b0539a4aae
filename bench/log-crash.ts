import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARGS } from '../test/helpers/engines/chromium.js';
import { startStack } from '../test/helpers/stack.js';
import type { TestConfig } from '../test/fixtures/test-config.js';

/**
 * Experiment (issue 17, Chromium only): what the outcome log loses when Chromium crashes in the
 * middle of a burst, with the default batching window and with `flushDelaySeconds: 0`. The page
 * sends COUNT no-cors GETs in waves of WAVE; once the lab has seen AT of them, CDP's `Page.crash`
 * crashes the page's renderer, which in this headless Chromium ends the whole browser (every one of
 * its processes, the storage service with IndexedDB included, is gone within 1 s). Chromium is then
 * started again on the same profile and a new page reads the log. Lost = requests the lab saw (the
 * worker had fetched them) that are not in the log; "answered" = those whose answer the page had
 * seen just before the crash.
 *
 *   npm run build && RUNS=3 npx tsx bench/log-crash.ts
 */
const RUNS = Number(process.env.RUNS ?? 3);
const COUNT = 1000;
const WAVE = 20;
const AT = Number(process.env.AT ?? 300);
const idOf = (path: string): string => new URL(path, 'http://x').searchParams.get('i')!;
const open = (profile: string): Promise<BrowserContext> => chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: ARGS });

const stack = await startStack();
console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')}; crash once the lab saw ${AT} of ${COUNT}`);

async function controlled(page: Page, config: TestConfig): Promise<void> {
  await page.goto(stack.pageUrl(config));
  await page.evaluate(() => window.crossrouteTest.ready);
  await page.evaluate(() => (navigator.serviceWorker.controller ? undefined : new Promise<void>((r) => navigator.serviceWorker.addEventListener('controllerchange', () => r()))));
}

try {
  for (let run = 0; run < RUNS; run++) {
    for (const [name, log] of [['default', {}], ['flushDelaySeconds: 0', { flushDelaySeconds: 0 }]] as const) {
      const config: TestConfig = { rules: [{ match: { origin: stack.lab.origin }, policy: 'passthrough' }], log };
      const profile = await mkdtemp(join(tmpdir(), 'crossroute-crash-'));
      const context = await open(profile);
      const page = await context.newPage();
      await controlled(page, config);
      stack.lab.clear();
      await page.evaluate(
        ({ lab, count, wave }) => {
          const w = window as unknown as { answered: string[] };
          w.answered = [];
          void (async () => {
            for (let start = 0; start < count; start += wave) {
              await Promise.all(
                Array.from({ length: wave }, (_, k) => String(start + k)).map((i) => fetch(`${lab}/assets/data.json?i=${i}`, { mode: 'no-cors' }).then(() => void w.answered.push(i), () => undefined)),
              );
            }
          })();
        },
        { lab: stack.lab.origin, count: COUNT, wave: WAVE },
      );
      while (stack.lab.records().length < AT) await new Promise((resolve) => setTimeout(resolve, 2));
      const answered = await page.evaluate(() => (window as unknown as { answered: string[] }).answered);
      const crashed = new Promise((resolve) => page.once('crash', resolve));
      const cdp = await context.newCDPSession(page);
      const crashedAt = Date.now();
      await cdp.send('Page.crash').catch(() => undefined);
      await crashed;
      const gone = Date.now() - crashedAt;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const seen = [...new Set(stack.lab.records().map((r) => idOf(r.path)))];
      // The crash ended the browser (its processes are gone); Chromium again, on the same profile.
      await Promise.race([context.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3000))]);
      const again = await open(profile);
      const reader = await again.newPage();
      await controlled(reader, config);
      const logged = await reader.evaluate(async () => (await window.crossrouteTest.log.query({ limit: 10_000 })).outcomes.map((o) => new URL(o.url).searchParams.get('i')!));
      await again.close();
      await rm(profile, { recursive: true, force: true });
      const lost = seen.filter((i) => !logged.includes(i));
      const answeredLost = answered.filter((i) => !logged.includes(i));
      console.log(
        `run ${run + 1} ${name.padEnd(21)} lab saw ${String(seen.length).padStart(4)} · page had ${String(answered.length).padStart(4)} answers · logged ${String(logged.length).padStart(4)} · lost ${String(lost.length).padStart(4)} (answered ones: ${String(answeredLost.length).padStart(4)}) · page crashed after ${gone} ms`,
      );
    }
  }
} finally {
  await stack.close();
}
