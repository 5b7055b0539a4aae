import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/model/outcome.js';
import { enginesFromEnv, type TestPage } from '../helpers/browser.js';
import { useE2eSuite } from '../helpers/e2e-suite.js';
import { eventually } from '../helpers/stack.js';

/** crossroute inside an app's Workbox stack: beside a second copy of workbox-routing, and as plain Workbox handlers. */
describe.each(enginesFromEnv())('crossroute in a Workbox app, in %s', (engine) => {
  const suite = useE2eSuite(engine);
  const answer = (p: TestPage, url: string, init: Record<string, unknown> = {}): Promise<{ status: number; by: string | null; body: string } | { error: string }> =>
    p.evaluate(
      async ({ url, init }) => {
        try {
          const r = await fetch(url, init as RequestInit);
          return { status: r.status, by: r.headers.get('x-answered-by'), body: r.type === 'opaque' ? '' : await r.text() };
        } catch (error) {
          return { error: String(error) };
        }
      },
      { url, init },
    );
  const outcomes = (p: TestPage, count: number): Promise<Outcome[]> =>
    eventually(async () => {
      const all = (await p.evaluate(() => window.crossrouteTest.outcomes())) as Outcome[];
      return all.length >= count ? all : undefined;
    });
  const arrived = (): string[] => suite.stack.lab.records().map((r) => `${r.method} ${r.path}`);

  it('a second copy of workbox-routing with a default handler, set up first, does not take crossroute\'s requests', async () => {
    const lab = suite.stack.lab.origin;
    const p = await suite.controlledPage({ rules: [{ match: { origin: lab, path: '/cors' }, policy: 'passthrough' }, { match: { origin: lab, path: '/delete-post' }, policy: 'block' }], workbox: 'second-copy-default' });
    expect(await answer(p, `${lab}/cors`)).toEqual({ status: 200, by: null, body: '{"endpoint":"cors"}' });
    expect(await answer(p, `${lab}/delete-post`, { method: 'POST', body: 'x' })).toMatchObject({ status: 403, by: null });
    // What no rule matches still reaches the app's default handler.
    expect(await answer(p, `${lab}/no-cors`)).toEqual({ status: 200, by: 'workbox-routing-7.3', body: 'the default handler of workbox-routing 7.3' });
    expect((await outcomes(p, 2)).map((o) => [o.ruleIndex, o.policy, o.kind])).toEqual([
      [0, 'passthrough', 'ok'],
      [1, 'block', 'blocked'],
    ]);
    expect(arrived()).toEqual(['GET /cors']);
  });

  it('policies work as plain Workbox handlers, each request with its outcome', async () => {
    const lab = suite.stack.lab.origin;
    const p = await suite.controlledPage({ rules: [], workbox: 'policy-handlers' });
    expect(await answer(p, `${lab}/delete-post`, { method: 'POST', body: 'x' })).toMatchObject({ status: 410 });
    expect(await answer(p, `${lab}/no-cors`)).toMatchObject({ error: expect.any(String) });
    const [blocked, refused] = await outcomes(p, 2);
    expect(blocked).toMatchObject({ ruleIndex: -1, policy: 'block', kind: 'blocked', status: 410, detail: 'gone (workbox block)' });
    expect(refused).toMatchObject({ ruleIndex: -1, policy: 'cors', kind: 'cors-blocked' });
    // The block never reached the lab; the cors read did (and its probe).
    expect(arrived()).not.toContain('POST /delete-post');
    expect(arrived()).toContain('GET /no-cors');
  });
});
