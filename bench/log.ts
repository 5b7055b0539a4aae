import { launch } from '../test/helpers/browser.js';
import { startStack } from '../test/helpers/stack.js';
import { controlledPages, load, median, timeFetches, writerPage } from './log-shared.js';

/**
 * The outcome log and static routes in Chromium, interleaved variants in one run, medians, and one
 * table of the results beside their anchors (issue 17) at the end:
 * 1. write throughput: OutcomeLog (`flushDelaySeconds` 0, a transaction per task, and 0.1) and IndexedDB
 *    alone (transactions of 200, and one per task) vs a naive sink (one transaction per outcome), for
 *    a burst written in one task and for outcomes arriving one per task; and how long a record waits
 *    until its transaction has committed (`flushDelaySeconds` 0, 0.1, 0.25);
 * 2. added latency: an intercepted fetch with the IndexedDB log (`flushDelaySeconds` 0, also without
 *    its live channel, 0.1, 0.25 and 1) vs with an in-memory sink;
 * 3. the first request for an unmatched cross-origin image with the worker stopped, with and
 *    without `staticRoutes`.
 * The machine is shared: the load average is printed at the start and the end.
 */
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const RECORDS = 10_000;
const TASK_RECORDS = 2_000;
const DURABLE_RECORDS = 1_000;
const FETCHES = Number(process.env.FETCHES ?? 200);
const WARM_UP = 20;
const SAMPLE = 10;

const STATIC_ROUNDS = Number(process.env.STATIC_ROUNDS ?? 40);

const what = (arrival: 'loop' | 'tasks', count: number): string => (arrival === 'loop' ? `burst of ${count} in one task` : `${count} arriving one per task`);
const table: Array<[string, string, string]> = [];
console.log(`load average at start: ${load()}`);
const stack = await startStack();
const browser = await launch('chromium');
try {
  const writer = await writerPage(browser, stack);
  const variants = ['log:0', 'log:0.1', 'floor', 'floor-one', 'naive'] as const;
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
      if (variant === 'naive') table.push([`${what(arrival, count)}: naive writer`, `${rate.toFixed(0)} records/s`, '(anchor)']);
      else table.push([`${what(arrival, count)}: ${variant} / naive writer`, `${(rate / naive).toFixed(1)}x`, arrival === 'loop' && variant.startsWith('log:') ? '>= 15x' : '(none)']);
    }
  }

  // How long a record waits before it is durable: write() until its transaction has committed.
  console.log(`\ntime until a record is stored, ms, ${DURABLE_RECORDS} records arriving one per task`);
  for (const gapMs of [0, 5]) {
    for (const variant of ['log:0', 'log:0.1', 'log:0.25'] as const) {
      const delays = await writer.evaluate(({ variant, count, gapMs }) => window.logBench.durable(variant, count, gapMs), { variant, count: DURABLE_RECORDS, gapMs });
      const at = (q: number): string => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!.toFixed(1);
      const arrival = gapMs === 0 ? 'back to back' : `one every ${gapMs} ms`;
      console.log(`  ${arrival.padEnd(16)} ${variant.padEnd(13)} p50 ${at(0.5)}  p99 ${at(0.99)}  max ${delays[delays.length - 1]!.toFixed(1)}`);
      table.push([`time until stored, ${arrival}, ${variant}`, `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`, 'reported']);
    }
  }
  // Added latency: one controlled page per sink, fetches rotating between them.
  const rules = [{ match: { origin: stack.lab.origin }, policy: 'passthrough' as const }];
  const sinks = {
    'in-memory sink': {},
    'IndexedDB log, flushDelaySeconds 0': { log: { flushDelaySeconds: 0 } },
    'IndexedDB log, 0, no live channel': { log: { flushDelaySeconds: 0, channelName: false as const } },
    'IndexedDB log, flushDelaySeconds 0.1': { log: { flushDelaySeconds: 0.1 } },
    'IndexedDB log, flushDelaySeconds 0.25': { log: { flushDelaySeconds: 0.25 } },
    'IndexedDB log, flushDelaySeconds 1': { log: { flushDelaySeconds: 1 } },
  };
  const names = Object.keys(sinks) as Array<keyof typeof sinks>;
  const pages = await controlledPages(browser, stack, Object.fromEntries(names.map((name) => [name, { rules, ...sinks[name] }])));
  const timings = new Map<string, number[]>(names.map((name) => [name, []]));
  for (let i = 0; i < FETCHES; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length]!;
      const ms = await timeFetches(pages.get(name)!, `${stack.lab.origin}/cors?i=${i}`, SAMPLE);
      if (i >= WARM_UP) timings.get(name)!.push(ms);
    }
  }
  const base = median(timings.get(names[0]!)!);
  console.log(`\nintercepted fetch latency (passthrough to the lab), median of ${FETCHES - WARM_UP} samples of ${SAMPLE} sequential fetches each, after ${WARM_UP} warm-up samples, rotating`);
  for (const name of names) {
    const ms = median(timings.get(name)!);
    console.log(`  ${name.padEnd(36)} ${ms.toFixed(2)} ms   ${(ms / base).toFixed(3)}x`);
    if (name !== names[0]) table.push([`intercepted fetch latency, ${name} / in-memory sink`, `${(ms / base).toFixed(3)}x`, name.includes('no live channel') ? '(step share)' : '<= 1.02x']);
  }
  for (const page of pages.values()) await page.close();

  // The first request for a cross-origin image no rule matches, with the worker stopped: through the
  // worker (which the browser starts for it) or, with staticRoutes, straight to the network.
  const unmatched = [{ match: { origin: 'http://127.0.0.2:1' }, policy: 'passthrough' as const }];
  const routed = { 'no static routes': { rules: unmatched }, 'staticRoutes cross-origin': { rules: unmatched, staticRoutes: { appLeaves: 'cross-origin' as const } } };
  const routedNames = Object.keys(routed) as Array<keyof typeof routed>;
  const routedPages = await controlledPages(browser, stack, routed);
  const firsts = new Map<string, number[]>(routedNames.map((name) => [name, []]));
  for (let i = 0; i < STATIC_ROUNDS; i++) {
    for (let j = 0; j < routedNames.length; j++) {
      const name = routedNames[(i + j) % routedNames.length]!;
      const page = routedPages.get(name)!;
      await page.stopServiceWorkers();
      const ms = await page.evaluate(
        (src) =>
          new Promise<number>((resolve, reject) => {
            const img = new Image();
            const started = performance.now();
            img.onload = () => resolve(performance.now() - started);
            img.onerror = () => reject(new Error(`image failed: ${src}`));
            img.src = src;
          }),
        `${stack.lab.origin}/assets/pixel.png?first=${i}`,
      );
      firsts.get(name)!.push(ms);
    }
  }
  const through = median(firsts.get(routedNames[0]!)!);
  console.log(`\nfirst request for an unmatched cross-origin image, worker stopped before each, median of ${STATIC_ROUNDS}, alternating`);
  for (const name of routedNames) {
    const ms = median(firsts.get(name)!);
    console.log(`  ${name.padEnd(28)} ${ms.toFixed(2)} ms   ${(ms / through).toFixed(3)}x   all: ${firsts.get(name)!.map((x) => x.toFixed(1)).join(' ')}`);
  }
  table.push(['first unmatched cross-origin image, worker stopped: no static routes', `${through.toFixed(2)} ms`, '(anchor)']);
  const direct = median(firsts.get(routedNames[1]!)!);
  table.push(['  the same with staticRoutes', `${direct.toFixed(2)} ms (${(direct / through).toFixed(2)}x)`, 'lower']);

  console.log(`\nissue 17, one run (${browser.engine} ${browser.version}); load average at the end: ${load()}`);
  const width = Math.max(...table.map(([what]) => what.length));
  console.log(`  ${'measure'.padEnd(width)}  ${'result'.padEnd(28)} anchor`);
  for (const [what, result, anchor] of table) console.log(`  ${what.padEnd(width)}  ${result.padEnd(28)} ${anchor}`);
} finally {
  await browser.close();
  await stack.close();
}
