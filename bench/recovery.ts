import { startLab, type Lab } from '../demo/lab/server.js';
import { launch, type TestPage } from '../test/helpers/browser.js';
import { startStack } from '../test/helpers/stack.js';
import type { TestConfig } from '../test/fixtures/test-config.js';

/**
 * Recovery after an outage, Chromium: a page sends 20 beacons (one every 100 ms) while its
 * collector is down; the collector comes back after OUTAGE seconds; measured is the time from its
 * return to the last of the 20 arriving. Systems, each in its own profile with its own collector,
 * all in the same outage: crossroute's beacon rule with default options and the page's relay
 * (relayOnline: online, visibility, probe cadence), crossroute without the page's probes (the
 * worker alone: its timer while it lives, Background Sync, worker start), and Workbox
 * background-sync (NetworkOnly + BackgroundSyncPlugin). A system that has not delivered all 20
 * within CAP_S seconds of the return is reported as "> CAP_S".
 *
 * Run after the build: `npx tsx bench/recovery.ts` (OUTAGES=3,60 seconds, ROUNDS=3, CAP_S=180);
 * `--ten-minutes` adds a 600 s outage (`OUTAGES= ROUNDS=1 npx tsx bench/recovery.ts --ten-minutes` for it alone).
 */
// The 10-minute outage takes over 10 minutes a round: only on request (`--ten-minutes`), never in CI.
const OUTAGES = [...(process.env.OUTAGES ?? '3,60').split(',').filter(Boolean).map(Number), ...(process.argv.includes('--ten-minutes') ? [600] : [])];
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CAP_S = Number(process.env.CAP_S ?? 180);
const BEACONS = 20;
const SYSTEMS = ['crossroute', 'crossroute-worker-only', 'workbox'] as const;
type System = (typeof SYSTEMS)[number];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

const stack = await startStack();
const browser = await launch('chromium');
const labs = new Map<System, Lab>();
const pages = new Map<System, TestPage>();
try {
  for (const system of SYSTEMS) {
    const lab = await startLab({ appOrigin: stack.app.origin });
    labs.set(system, lab);
    const page = await browser.newPage();
    if (system === 'workbox') {
      await page.goto(stack.pageUrl());
      await page.evaluate((lab) => navigator.serviceWorker.register(`/bench-recovery-sw.js?lab=${encodeURIComponent(lab)}`).then(() => undefined), lab.origin);
    } else {
      const config: TestConfig = {
        rules: [{ match: { origin: lab.origin, path: '/beacon' }, policy: 'beacon', options: { idParam: 'bid' } }],
        ...(system === 'crossroute-worker-only' && { pageProbeMaxSeconds: false }),
      };
      await page.goto(stack.pageUrl(config));
      await page.evaluate(() => window.crossrouteTest.ready);
    }
    await page.waitForController();
    pages.set(system, page);
  }
  const results: Record<string, number[]> = {};
  for (const outage of OUTAGES) {
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all(SYSTEMS.map((system) => labs.get(system)!.close()));
      const down = Date.now();
      const ids = new Map<System, string[]>();
      await Promise.all(
        SYSTEMS.map(async (system) => {
          const lab = labs.get(system)!.origin;
          ids.set(
            system,
            await pages.get(system)!.evaluate(
              async ({ lab, n, system }) => {
                const sent: string[] = [];
                for (let i = 0; i < n; i++) {
                  const id = crypto.randomUUID();
                  sent.push(id);
                  // Workbox's route gets the id from the page; crossroute's rule adds its own (?bid=), read from its answer.
                  const url = system === 'workbox' ? `${lab}/beacon?bid=${id}` : `${lab}/beacon`;
                  const answer = await fetch(url, { method: 'POST', mode: 'no-cors', body: JSON.stringify({ i }) }).catch(() => null);
                  if (system !== 'workbox') sent[i] = answer?.headers.get('x-crossroute-beacon-id') ?? id;
                  await new Promise((resolve) => setTimeout(resolve, 100));
                }
                return sent;
              },
              { lab, n: BEACONS, system },
            ),
          );
        }),
      );
      await sleep(Math.max(0, down + outage * 1000 - Date.now()));
      await Promise.all(SYSTEMS.map(async (system) => labs.set(system, await startLab({ appOrigin: stack.app.origin, port: labs.get(system)!.port }))));
      const back = Date.now();
      const line: string[] = [];
      for (const system of SYSTEMS) {
        const want = new Set(ids.get(system));
        let last = -1;
        while (Date.now() - back < CAP_S * 1000) {
          const got = labs.get(system)!.records().filter((r) => want.has(new URL(r.path, 'http://x').searchParams.get('bid') ?? ''));
          if (new Set(got.map((r) => r.path)).size >= want.size) {
            last = Math.max(...got.map((r) => r.time));
            break;
          }
          await sleep(50);
        }
        const ms = last < 0 ? Infinity : last - back;
        // Why a crossroute system did not finish: what its outbox says (origins it waits for, their failures, when it tries next).
        if (last < 0 && system !== 'workbox') {
          const arrived = labs.get(system)!.records().filter((r) => want.has(new URL(r.path, 'http://x').searchParams.get('bid') ?? '')).length;
          const state = await pages.get(system)!.evaluate(() => window.crossrouteTest.outboxState());
          console.log(`${system}: ${arrived} of ${want.size} arrived; outbox ${JSON.stringify({ entries: state?.entries, unreachable: state?.unreachable, draining: state?.draining })}, now ${Date.now()}`);
        }
        (results[`${outage} s ${system}`] ??= []).push(ms);
        line.push(`${system} ${Number.isFinite(ms) ? `${ms} ms` : `> ${CAP_S} s`}`);
      }
      console.log(`outage ${outage} s, round ${round + 1}: ${line.join(', ')}`);
    }
  }
  console.log(`\nrecovery: from the collector's return to the last of ${BEACONS} beacons, Chromium ${browser.version}, ${ROUNDS} rounds`);
  for (const [name, xs] of Object.entries(results)) {
    const show = (ms: number): string => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : `> ${CAP_S} s`);
    console.log(`${name.padEnd(32)} p50 ${show(pct(xs, 0.5)).padStart(9)}   max ${show(Math.max(...xs)).padStart(9)}`);
  }
} finally {
  await browser.close();
  for (const lab of labs.values()) await lab.close();
  await stack.close();
}
