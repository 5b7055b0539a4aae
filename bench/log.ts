import { launch, type TestPage } from '../test/helpers/browser.js';
import { startStack } from '../test/helpers/stack.js';

/**
 * The outcome log in Chromium, interleaved variants in one run, medians:
 * 1. write throughput: OutcomeLog vs a naive sink (one transaction per outcome), for a burst
 *    written in one task and for outcomes arriving one per task; and how long a record waits until
 *    its transaction has committed;
 * 2. added latency: an intercepted fetch with the IndexedDB log (default, without its live channel,
 *    and with a 20 ms batching window) vs with an in-memory sink.
 */
const ROUNDS = 5;
const RECORDS = 10_000;
const TASK_RECORDS = 2_000;
const DURABLE_RECORDS = 1_000;
const FETCHES = 200;
const WARM_UP = 20;
const SAMPLE = 10;

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

  // How long a record waits before it is durable: write() until its transaction has committed.
  console.log(`\ntime until a record is stored, ms, ${DURABLE_RECORDS} records arriving one per task`);
  for (const gapMs of [0, 5]) {
    for (const variant of ['batched', 'batched-20ms'] as const) {
      const delays = await writer.evaluate(({ variant, count, gapMs }) => window.logBench.durable(variant, count, gapMs), { variant, count: DURABLE_RECORDS, gapMs });
      const at = (q: number): string => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!.toFixed(1);
      const arrival = gapMs === 0 ? 'back to back' : `one every ${gapMs} ms`;
      console.log(`  ${arrival.padEnd(16)} ${variant.padEnd(13)} p50 ${at(0.5)}  p99 ${at(0.99)}  max ${delays[delays.length - 1]!.toFixed(1)}`);
    }
  }
  // Added latency: one controlled page per sink, fetches rotating between them.
  const rules = [{ match: { origin: stack.lab.origin }, policy: 'passthrough' as const }];
  const sinks = {
    'in-memory sink': {},
    'IndexedDB log': { log: {} },
    'IndexedDB log, no live channel': { log: { channelName: false as const } },
    'IndexedDB log, flushDelaySeconds 0.02': { log: { flushDelaySeconds: 0.02 } },
  };
  const names = Object.keys(sinks) as Array<keyof typeof sinks>;
  const pages = new Map<string, TestPage>();
  for (const name of names) {
    const page = await browser.newPage();
    await page.goto(stack.pageUrl({ rules, ...sinks[name] }));
    await page.evaluate(() => window.crossrouteTest.ready);
    await page.waitForController();
    pages.set(name, page);
  }
  const timings = new Map<string, number[]>(names.map((name) => [name, []]));
  for (let i = 0; i < FETCHES; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length]!;
      // Ten fetches per sample: a page's clock ticks in 0.1 ms steps (timer coarsening), 2% of one fetch.
      const ms = await pages.get(name)!.evaluate(
        async ({ url, sample }) => {
          const started = performance.now();
          for (let k = 0; k < sample; k++) await (await fetch(`${url}.${k}`)).text();
          return (performance.now() - started) / sample;
        },
        { url: `${stack.lab.origin}/cors?i=${i}`, sample: SAMPLE },
      );
      if (i >= WARM_UP) timings.get(name)!.push(ms);
    }
  }
  const base = median(timings.get(names[0]!)!);
  console.log(`\nintercepted fetch latency (passthrough to the lab), median of ${FETCHES - WARM_UP} samples of ${SAMPLE} sequential fetches each, after ${WARM_UP} warm-up samples, rotating`);
  for (const name of names) {
    const ms = median(timings.get(name)!);
    console.log(`  ${name.padEnd(32)} ${ms.toFixed(2)} ms   ${(ms / base).toFixed(3)}x`);
  }
} finally {
  await browser.close();
  await stack.close();
}
