import { launch } from '../test/helpers/browser.js';
import { startStack } from '../test/helpers/stack.js';

/**
 * The outcome log in Chromium, interleaved variants in one run, medians:
 * 1. write throughput: OutcomeLog vs a naive sink (one transaction per outcome), for a burst
 *    written in one task and for outcomes arriving one per task;
 * 2. added latency: an intercepted fetch with the IndexedDB log vs with an in-memory sink.
 */
const ROUNDS = 5;
const RECORDS = 10_000;
const TASK_RECORDS = 2_000;
const FETCHES = 200;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const stack = await startStack();
const browser = await launch('chromium');
try {
  const writer = await browser.newPage();
  await writer.goto(`${stack.app.origin}/bench/log-writer.html`);
  const variants = ['batched', 'batched-20ms', 'naive'] as const;
  console.log(`outcome log write throughput, records/s, median of ${ROUNDS} interleaved rounds (${browser.engine} ${browser.version})`);
  for (const [arrival, count] of [['loop', RECORDS], ['tasks', TASK_RECORDS]] as const) {
    const results: Record<string, number[]> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of variants) {
        const rate = await writer.evaluate(({ variant, count, arrival }) => window.logBench.run(variant, count, arrival), { variant, count, arrival });
        (results[variant] ??= []).push(rate);
      }
    }
    const naive = median(results['naive']!);
    for (const variant of variants) {
      const rate = median(results[variant]!);
      console.log(`  ${arrival === 'loop' ? `${count} in one task ` : `${count}, one per task`}  ${variant.padEnd(13)} ${rate.toFixed(0).padStart(8)}  (${(rate / naive).toFixed(1)}x naive)`);
    }
  }

  // Added latency: two controlled pages, one per sink, fetches alternating between them.
  const rules = [{ match: { origin: stack.lab.origin }, policy: 'passthrough' as const }];
  const pages = { memory: await browser.newPage(), indexeddb: await browser.newPage() };
  await pages.memory.goto(stack.pageUrl({ rules }));
  await pages.indexeddb.goto(stack.pageUrl({ rules, log: {} } as never));
  for (const page of Object.values(pages)) {
    await page.evaluate(() => window.crossrouteTest.ready);
    await page.waitForController();
  }
  const timings: Record<keyof typeof pages, number[]> = { memory: [], indexeddb: [] };
  for (let i = 0; i < FETCHES; i++) {
    for (const name of (i % 2 ? ['memory', 'indexeddb'] : ['indexeddb', 'memory']) as Array<keyof typeof pages>) {
      timings[name].push(
        await pages[name].evaluate(async (url) => {
          const started = performance.now();
          await (await fetch(url)).text();
          return performance.now() - started;
        }, `${stack.lab.origin}/cors?i=${i}`),
      );
    }
  }
  const [off, on] = [median(timings.memory.slice(20)), median(timings.indexeddb.slice(20))];
  console.log(`\nintercepted fetch latency, median of ${FETCHES - 20} after 20 warm-up, alternating`);
  console.log(`  in-memory sink ${off.toFixed(2)} ms   IndexedDB log ${on.toFixed(2)} ms   ratio ${(on / off).toFixed(3)}`);
} finally {
  await browser.close();
  await stack.close();
}
