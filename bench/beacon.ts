import { launch, type TestPage } from '../test/helpers/browser.js';
import { startStack, type Stack } from '../test/helpers/stack.js';

/**
 * Draining N queued beacons to the lab in Chromium: crossroute's outbox (one request per beacon, and
 * NDJSON batches) vs its anchor, Workbox background-sync's Queue.replayRequests(), in the same
 * worker, same run, rounds interleaved. Each drain is timed inside the worker; the lab's log then
 * proves every beacon arrived (ids unique, none missing). Medians are reported. "fetch-only" sends
 * the same requests with no queue at all: the floor this machine's network path sets.
 *
 * Run after the build: `npx rollup -c --silent && npx tsx bench/beacon.ts` (BEACONS=10000, ROUNDS=3).
 */
const BEACONS = Number(process.env.BEACONS ?? 10_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SYSTEMS = ['crossroute', 'crossroute-batched', 'workbox', 'fetch-only'] as const;
type System = (typeof SYSTEMS)[number];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

function ask<T>(page: TestPage, message: Record<string, unknown>): Promise<T> {
  return page.evaluate(async (message) => {
    const registration = await navigator.serviceWorker.ready;
    const answer = await new Promise<{ error?: string }>((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => resolve(event.data);
      registration.active!.postMessage(message, [channel.port2]);
    });
    if (answer.error) throw new Error(answer.error);
    return answer;
  }, message) as Promise<T>;
}

/** Beacons the lab received since the last clear: requests, and ids (a batch names several). */
function arrived(stack: Stack): { requests: number; ids: string[] } {
  const posts = stack.lab.records().filter((r) => r.method === 'POST');
  const ids = posts.flatMap((r) => new URL(r.path, stack.lab.origin).searchParams.get('bid')?.split(',') ?? []);
  return { requests: posts.length, ids };
}

const stack = await startStack();
const browser = await launch('chromium');
try {
  const page = await browser.newPage();
  await page.goto(stack.pageUrl());
  await page.evaluate(async () => {
    await navigator.serviceWorker.register('/bench-beacon-sw.js');
    await navigator.serviceWorker.ready;
  });
  const url = `${stack.lab.origin}/beacon`;
  const times: Record<System, number[]> = { crossroute: [], 'crossroute-batched': [], workbox: [], 'fetch-only': [] };
  const requests: Record<System, number> = { crossroute: 0, 'crossroute-batched': 0, workbox: 0, 'fetch-only': 0 };
  let lost = 0;
  for (let round = 0; round < ROUNDS; round++) {
    // Each round starts with another system, so none always runs on a cold or a warm worker.
    const order = SYSTEMS.map((_, i) => SYSTEMS[(i + round) % SYSTEMS.length]!);
    for (const system of order) {
      await ask(page, { type: 'fill', system, count: BEACONS, url });
      stack.lab.clear();
      const { ms, left } = await ask<{ ms: number; left: number }>(page, { type: 'drain', system });
      const got = arrived(stack);
      const unique = new Set(got.ids).size;
      const missing = BEACONS - unique + left;
      lost += missing;
      times[system].push(ms);
      requests[system] = got.requests;
      console.log(`round ${round + 1} ${system.padEnd(18)} ${ms.toFixed(0).padStart(7)} ms  ${got.requests} requests, ${unique} unique ids, ${got.ids.length - unique} duplicates, ${missing} lost`);
    }
  }
  const anchor = median(times.workbox);
  console.log(`\n${BEACONS} beacons drained to the lab, Chromium ${browser.version}, median of ${ROUNDS} interleaved rounds (Node ${process.version})`);
  console.log('system               median ms   beacons/s   requests   vs workbox');
  for (const system of SYSTEMS) {
    const ms = median(times[system]);
    const rate = (BEACONS / ms) * 1000;
    console.log(`${system.padEnd(18)} ${ms.toFixed(0).padStart(11)} ${rate.toFixed(0).padStart(11)} ${String(requests[system]).padStart(10)} ${(anchor / ms).toFixed(1).padStart(11)}x`);
  }
  console.log(`lost: ${lost}`);
  if (lost > 0) process.exitCode = 1;
} finally {
  await browser.close();
  await stack.close();
}
