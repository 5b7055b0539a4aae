import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, type EngineName, type TestPage } from './browser.js';

/**
 * What the browser-close scenario of the outcome log needs, for its e2e test
 * (test/e2e/log-termination.test.ts) and its measurement (bench/log-close.ts).
 */

/** The `i` parameter of every URL in the page's outcome log. */
export const loggedIds = (p: TestPage): Promise<string[]> =>
  p.evaluate(async () => (await window.crossrouteTest.log.query({ limit: 10_000 })).outcomes.map((o) => new URL(o.url).searchParams.get('i')!));

/** The `i` parameter of every record the page heard announced on the live channel: stored, since a batch is announced once committed. */
export const announcedIds = (p: TestPage): Promise<string[]> => p.evaluate(() => window.crossrouteTest.live.map((o) => new URL(o.url).searchParams.get('i')!));

/**
 * `count` no-cors GETs of the lab's `/assets/data.json?i=N` (N from `from`) from the page, `parallel`
 * at a time (all at once by default); resolves with how many were answered.
 */
export const burst = (p: TestPage, lab: string, count: number, parallel = count, from = 0): Promise<number> =>
  p.evaluate(
    async ({ lab, count, parallel, from }) => {
      let answered = 0;
      for (let i = 0; i < count; i += parallel) {
        const wave = Array.from({ length: Math.min(parallel, count - i) }, (_, j) => fetch(`${lab}/assets/data.json?i=${from + i + j}`, { mode: 'no-cors' }).then(() => 1, () => 0));
        for (const answer of await Promise.all(wave)) answered += answer;
      }
      return answered;
    },
    { lab, count, parallel, from },
  );

/**
 * A browser of its own on a profile that outlives it (pages share its one context), closed after
 * `steps`: `open` opens `pageUrl` and waits for its worker to control it, `restart` closes the
 * browser and launches it again on the same profile.
 */
export async function onProfile(engine: EngineName, pageUrl: string, steps: (open: () => Promise<TestPage>, restart: () => Promise<void>) => Promise<void>): Promise<void> {
  const profile = await mkdtemp(join(tmpdir(), 'crossroute-profile-'));
  let session = await launch(engine, { userDataDir: profile });
  const open = async (): Promise<TestPage> => {
    const p = await session.newPage();
    await p.goto(pageUrl);
    await p.evaluate(() => window.crossrouteTest.ready);
    await p.waitForController();
    return p;
  };
  try {
    await steps(open, async () => {
      await session.close();
      session = await launch(engine, { userDataDir: profile });
    });
  } finally {
    await session.close();
    await rm(profile, { recursive: true, force: true });
  }
}
