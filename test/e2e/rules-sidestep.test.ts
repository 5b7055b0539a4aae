import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/model/outcome.js';
import type { TestConfig, TestRule } from '../fixtures/test-config.js';
import { enginesFromEnv, type TestPage } from '../helpers/browser.js';
import { useE2eSuite } from '../helpers/e2e-suite.js';
import { eventually } from '../helpers/stack.js';

/**
 * A `block` rule against every spelling that once got past one (issue 15): other methods, a trailing
 * dot on the host, and path spellings a server reads as the same path. Each: the page gets the
 * block's refusal, the outcome is `blocked`, and nothing arrives at the lab.
 */
interface Seen {
  ok: boolean;
  status?: number;
  body?: string;
  error?: string;
}

describe.each(enginesFromEnv())('rules that cannot be sidestepped, in %s', (engine) => {
  const suite = useE2eSuite(engine);
  const request = (p: TestPage, url: string, init: Record<string, unknown> = {}): Promise<Seen> =>
    p.evaluate(
      async ({ url, init }) => {
        try {
          const r = await fetch(url, init as RequestInit);
          return { ok: true, status: r.status, body: await r.text() };
        } catch (error) {
          return { ok: false, error: String(error) };
        }
      },
      { url, init },
    );
  const outcomes = (p: TestPage): Promise<Outcome[]> => p.evaluate(() => window.crossrouteTest.outcomes()) as Promise<Outcome[]>;
  const firstOutcome = (p: TestPage): Promise<Outcome> => eventually(async () => (await outcomes(p))[0]);
  const arrived = (): string[] => suite.stack.lab.records().map((r) => `${r.method} ${r.path}`);
  const adminRule = (over: Partial<TestRule['match']> = {}): TestRule => ({ name: 'admin', match: { origin: suite.stack.lab.origin, path: '/admin/**', ...over }, policy: 'block' });

  async function expectBlocked(config: TestConfig, path: string, init: Record<string, unknown> = {}, origin = suite.stack.lab.origin): Promise<void> {
    const p = await suite.controlledPage(config);
    const seen = await request(p, `${origin}${path}`, init);
    expect(seen).toMatchObject({ ok: true, status: 403 });
    expect(JSON.parse(seen.body!)).toMatchObject({ error: 'crossroute-blocked', name: 'admin' });
    expect(await firstOutcome(p)).toMatchObject({ kind: 'blocked', policy: 'block', ruleIndex: 0 });
    expect(arrived()).toEqual([]);
  }

  describe.each([
    ['crossroute\'s own fetch listener', undefined],
    ['an app\'s workbox-routing Router', 'router' as const],
  ])('methods, with %s', (_, workbox) => {
    it.each([
      ['PURGE', { method: 'PURGE' }],
      ['OPTIONS', { method: 'OPTIONS' }],
      ['a lowercase patch', { method: 'patch', body: '{}' }],
      ['GET', {}],
    ])('a rule without method blocks %s', (_, init) => expectBlocked({ rules: [adminRule()], workbox }, '/admin/x', init));
  });

  it.each([
    ['/%61dmin/', {}],
    ['//admin/', {}],
    ['/admin;x/', {}],
    ['/admin%2fusers', {}],
    ['/ADMIN/ with pathCase "insensitive"', { pathCase: 'insensitive' as const }],
  ])('/admin/** blocks %s', (spelling, over) => expectBlocked({ rules: [adminRule(over)] }, spelling.split(' ')[0]!));

  it('a rule on a host blocks its trailing-dot spelling', async () => {
    // *.localhost names resolve to loopback inside the browser; the blocked request never resolves at all.
    const origin = `http://tracker.localhost:${suite.stack.lab.port}`;
    await expectBlocked({ rules: [{ name: 'admin', match: { origin }, policy: 'block' }] }, '/collect', {}, `http://tracker.localhost.:${suite.stack.lab.port}`);
  });

  it('a redirect into a blocked URL answers with the block, as the rules give the hop', async () => {
    const lab = suite.stack.lab.origin;
    const p = await suite.controlledPage({
      rules: [
        { name: 'admin', match: { origin: lab, path: '/status/**' }, policy: 'block' },
        { match: { origin: lab }, policy: 'passthrough' },
      ],
    });
    const seen = await request(p, `${lab}/redirect?to=/status/200?cors=1`);
    expect(seen).toMatchObject({ ok: true, status: 403 });
    expect(JSON.parse(seen.body!)).toMatchObject({ error: 'crossroute-blocked', name: 'admin' });
    const outcome = await firstOutcome(p);
    expect(outcome).toMatchObject({ kind: 'blocked', policy: 'passthrough', ruleIndex: 1 });
    expect(outcome.detail).toMatch(/redirected to .*\/status\/200\?cors=1, which admin \(policy "block"\) handles/);
    // The hop was followed inside fetch() before the worker could see where it went (Fetch's atomic
    // redirect handling): the worker keeps its answer from the page, it cannot keep it from the server.
    expect(arrived()).toEqual(['GET /redirect?to=/status/200?cors=1', 'GET /status/200?cors=1']);
  });
});
