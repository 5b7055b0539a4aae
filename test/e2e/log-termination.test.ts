import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TestConfig } from '../fixtures/test-config.js';
import { enginesFromEnv, keepsProfiles, launch, type TestPage } from '../helpers/browser.js';
import { useE2eSuite } from '../helpers/e2e-suite.js';
import { eventually } from '../helpers/stack.js';

/**
 * The outcome log's default (each task's outcomes in one transaction, handed over in that task, held
 * by waitUntil) against the ways a real browser ends a page or a worker. The forced stop (CDP) is in
 * outcome-log.test.ts.
 */
describe.each(enginesFromEnv())('the outcome log when the browser ends things, in %s', (engine) => {
  const suite = useE2eSuite(engine);
  const config = (): TestConfig => ({ rules: [{ match: { origin: suite.stack.lab.origin }, policy: 'passthrough' }], log: {} });
  const COUNT = 200;
  const loggedIds = (p: TestPage): Promise<string[]> =>
    p.evaluate(async () => (await window.crossrouteTest.log.query({ limit: 10_000 })).outcomes.map((o) => new URL(o.url).searchParams.get('i')!));
  /** `COUNT` no-cors GETs from the page, all at once; resolves with how many were answered. */
  const burst = (p: TestPage): Promise<number> =>
    p.evaluate(
      async ({ lab, count }) => {
        const answers = await Promise.all(Array.from({ length: count }, (_, i) => fetch(`${lab}/assets/data.json?i=${i}`, { mode: 'no-cors' }).then(() => 1, () => 0)));
        return answers.reduce<number>((a, b) => a + b, 0);
      },
      { lab: suite.stack.lab.origin, count: COUNT },
    );
  const all = Array.from({ length: COUNT }, (_, i) => String(i)).sort();
  /** A browser of its own on a profile that outlives it (pages share its one context), closed after `steps`. */
  async function onProfile(steps: (open: () => Promise<TestPage>, restart: () => Promise<void>) => Promise<void>): Promise<void> {
    const profile = await mkdtemp(join(tmpdir(), 'crossroute-profile-'));
    let session = await launch(engine, { userDataDir: profile });
    const open = async (): Promise<TestPage> => {
      const p = await session.newPage();
      await p.goto(suite.stack.pageUrl(config()));
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
  const skipWithoutProfile = (context: { skip(note: string): void }): void => {
    if (!keepsProfiles(engine)) context.skip(`${engine}: MiniBrowser under automation has one page per browser (window.open gives null) and ephemeral storage, so no second tab and no restart`);
  };

  it('the tab that made the requests, closed right after its last answer, loses no record', async (context) => {
    skipWithoutProfile(context);
    await onProfile(async (open) => {
      const reader = await open();
      const tab = await open();
      expect(await burst(tab)).toBe(COUNT);
      await tab.close();
      expect((await eventually(async () => {
        const ids = await loggedIds(reader);
        return ids.length >= COUNT ? ids : undefined;
      })).sort()).toEqual(all);
    });
  });

  it('a browser closed right after a burst keeps every record it had stored, and logs on when opened again', async (context) => {
    skipWithoutProfile(context);
    await onProfile(async (open, restart) => {
      const page = await open();
      expect(await burst(page)).toBe(COUNT);
      // Stored means committed: the live channel announces a batch only after its transaction completed.
      const stored = await page.evaluate(() => window.crossrouteTest.live.map((o) => new URL(o.url).searchParams.get('i')!));
      expect(stored.length).toBeGreaterThan(0);
      await restart();
      const again = await open();
      const kept = await loggedIds(again);
      // Closing the browser does not wait for transactions still queued: records not yet committed
      // can be lost (measured in README, "Off the critical path, durable").
      expect(stored.filter((i) => !kept.includes(i))).toEqual([]);
      expect(new Set(kept).size).toBe(kept.length);
      await again.evaluate((lab) => fetch(`${lab}/assets/data.json?i=after`, { mode: 'no-cors' }).then(() => undefined), suite.stack.lab.origin);
      await eventually(async () => ((await loggedIds(again)).includes('after') ? true : undefined));
    });
  });
});
