import type { EngineName } from '../test/helpers/browser.js';
import { announcedIds, burst, loggedIds, onProfile } from '../test/helpers/log-profile.js';
import { startStack } from '../test/helpers/stack.js';
import { load } from './log-shared.js';

/**
 * Evidence, not a test (issue 17): what closing the browser right after a burst costs the outcome
 * log, per `flushDelaySeconds`. The scenario of test/e2e/log-termination.test.ts: on a fresh profile,
 * a burst of COUNT requests; the browser is closed right after the last answer, opened again on the
 * same profile, and the stored records are counted. Settings rotate from run to run; RUNS per setting
 * per engine. Prints every run, then per setting how many runs lost how many records.
 *
 *   npm run build && ENGINES=chromium,firefox RUNS=5 DELAYS=0,0.1,0.25,1 npx tsx bench/log-close.ts
 */
const COUNT = 200;
const RUNS = Number(process.env.RUNS ?? 5);
const DELAYS = (process.env.DELAYS ?? '0,0.1,0.25,1').split(',').map(Number);
const engines = (process.env.ENGINES ?? 'chromium,firefox').split(',') as EngineName[];

console.log(`load average at start: ${load()}`);
const stack = await startStack();
const losses = new Map<string, number[]>();
try {
  for (const engine of engines) {
    for (let run = 0; run < RUNS; run++) {
      for (let j = 0; j < DELAYS.length; j++) {
        const delay = DELAYS[(run + j) % DELAYS.length]!;
        const url = stack.pageUrl({ rules: [{ match: { origin: stack.lab.origin }, policy: 'passthrough' }], log: { flushDelaySeconds: delay } });
        await onProfile(engine, url, async (open, restart) => {
          const page = await open();
          const answered = await burst(page, stack.lab.origin, COUNT);
          const announced = await announcedIds(page);
          await restart();
          const kept = await loggedIds(await open());
          const unique = new Set(kept);
          const lost = COUNT - unique.size;
          const announcedLost = announced.filter((i) => !unique.has(i)).length;
          losses.set(`${engine} ${delay}`, [...(losses.get(`${engine} ${delay}`) ?? []), lost]);
          console.log(`  ${engine.padEnd(8)} flushDelaySeconds ${String(delay).padEnd(5)} run ${run + 1}: answered ${answered}, announced before the close ${announced.length}, kept ${kept.length} (${kept.length - unique.size} twice), lost ${lost}, announced but lost ${announcedLost}   load ${load()}`);
        });
      }
    }
  }
  console.log(`\nrecords lost of ${COUNT} when the browser closed right after the burst, per run; load average at the end: ${load()}`);
  for (const [setting, lost] of losses) {
    const none = lost.filter((n) => n === 0).length;
    console.log(`  ${setting.padEnd(16)} ${lost.join(' ').padEnd(30)} runs with no loss: ${none}/${lost.length}, total lost ${lost.reduce((a, b) => a + b, 0)}`);
  }
} finally {
  await stack.close();
}
