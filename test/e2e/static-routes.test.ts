import { describe, expect, it } from 'vitest';
import type { TestConfig } from '../fixtures/test-config.js';
import { enginesFromEnv, type TestPage } from '../helpers/browser.js';
import { useE2eSuite } from '../helpers/e2e-suite.js';

/**
 * `staticRoutes`: where the Static Routing API exists (Chromium), what the app leaves alone and no
 * rule can match goes to the network without the worker; what a rule matches never does, `block`
 * included. Elsewhere nothing changes.
 */
describe.each(enginesFromEnv())('static routes, in %s', (engine) => {
  const suite = useE2eSuite(engine);
  const config = (): TestConfig => {
    const port = suite.stack.lab.port;
    return {
      rules: [
        { match: { origin: `http://127.0.0.2:${port}` }, policy: 'block' },
        { match: { origin: `http://*.localhost:${port}`, path: '/never/*' }, policy: 'block' },
      ],
      staticRoutes: { appLeaves: 'cross-origin' },
    };
  };
  /** A fetch from the page: its status and body, or the error; and the source a static route chose, if any. */
  const fetchFrom = (p: TestPage, url: string) =>
    p.evaluate(async (url) => {
      const answer = await fetch(url, { cache: 'no-store' }).then(async (r) => `${r.status} ${await r.text()}`, (e: Error) => `error ${e.name}`);
      const entry = performance.getEntriesByName(url).at(-1) as (PerformanceResourceTiming & { workerMatchedSourceType?: string }) | undefined;
      return { answer, source: entry?.workerMatchedSourceType ?? null };
    }, url);

  it('sends an unmatched request to the network without starting the worker, and never a request a rule matches', async () => {
    const p = await suite.controlledPage(config());
    const lab = suite.stack.lab.origin;
    const port = suite.stack.lab.port;
    const stopped = async (): Promise<void> => {
      if (p.canStopServiceWorkers) await p.stopServiceWorkers();
    };
    await stopped();
    const unmatched = await fetchFrom(p, `${lab}/cors?static=1`);
    expect(unmatched.answer).toMatch(/^200 /);
    if (engine === 'chromium') {
      // Chromium 156 reports the static route's choice in Resource Timing (workerStart is set all the same).
      expect(unmatched.source).toBe('network');
    } else {
      expect(unmatched.source).toBeNull();
    }
    // Each of these is matched by a block rule: the worker answers, the lab never sees them, and
    // neither a stopped worker nor a host's other spelling (a trailing dot) lets one through.
    const blocked = [`http://127.0.0.2:${port}/x?static=2`, `http://a.localhost:${port}/never/x?static=3`, `http://a.localhost.:${port}/never/x?static=4`];
    for (const url of blocked) {
      await stopped();
      expect((await fetchFrom(p, url)).answer).toMatch(/^403 .*crossroute-blocked/);
    }
    expect(suite.stack.lab.records().map((r) => r.path)).toEqual(['/cors?static=1']);
  });
});
