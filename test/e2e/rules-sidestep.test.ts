import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/model/outcome.js';
import type { TestConfig, TestRule } from '../fixtures/test-config.js';
import { enginesFromEnv, type TestPage } from '../helpers/browser.js';
import { useE2eSuite } from '../helpers/e2e-suite.js';
import { eventually } from '../helpers/stack.js';

/**
 * A `block` rule against every spelling that once got past one (issue 15): other methods, a trailing
 * dot on the host, IDN and fullwidth names, and path spellings a server reads as the same path. Each:
 * the page gets the block's refusal, the outcome is `blocked`, and nothing arrives at the lab; for the
 * hosts, the same URL under a passthrough rule does arrive, so the empty log means the rule held.
 * Then redirects, each as the README's Redirects paragraph says: what the worker sees and what not.
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

  // *.localhost names resolve to loopback inside the browser, so the lab (on 127.0.0.1) answers them.
  const hosts: Array<[string, (port: number) => { rule: string; request: string }]> = [
    ['a rule on a host, its trailing-dot spelling', (port) => ({ rule: `http://tracker.localhost:${port}`, request: `http://tracker.localhost.:${port}` })],
    ['a wildcard on a Unicode name', (port) => ({ rule: `http://*.bücher.localhost:${port}`, request: `http://shop.bücher.localhost:${port}` })],
    ['a wildcard in fullwidth letters', (port) => ({ rule: `http://*.ｔｒａｃｋｅｒ.localhost:${port}`, request: `http://a.tracker.localhost:${port}` })],
    ['an exact Unicode origin', (port) => ({ rule: `http://bücher.localhost:${port}`, request: `http://bücher.localhost:${port}` })],
  ];
  it.each(hosts)('%s: blocked', async (_, spell) => {
    const { rule, request } = spell(suite.stack.lab.port);
    await expectBlocked({ rules: [{ name: 'admin', match: { origin: rule }, policy: 'block' }] }, '/collect', {}, request);
  });
  it.each(hosts)('%s: the control, under passthrough, reaches the lab', async (_, spell) => {
    const { rule, request: origin } = spell(suite.stack.lab.port);
    const p = await suite.controlledPage({ rules: [{ match: { origin: rule }, policy: 'passthrough' }] });
    await request(p, `${origin}/collect`);
    expect(await firstOutcome(p)).toMatchObject({ policy: 'passthrough', ruleIndex: 0 });
    expect(arrived()).toEqual(['GET /collect']);
  });

  // The first fetch() follows the hop before the worker can see where it went (Fetch's atomic redirect
  // handling): the worker keeps that answer from the page, not the request from the server. Another
  // rule's policy then fetches the final URL itself, a second time.
  it.each([
    ['block', { status: 403, body: expect.stringContaining('"error":"crossroute-blocked"') }, 'blocked', 1],
    ['cors', { status: 200, body: 'status 200' }, 'ok', 2],
  ])('a redirect into a URL a %s rule gives is answered by that rule', async (policy, seen, kind, finalRequests) => {
    const lab = suite.stack.lab.origin;
    const p = await suite.controlledPage({
      rules: [
        { name: 'status', match: { origin: lab, path: '/status/**' }, policy },
        { match: { origin: lab }, policy: 'passthrough' },
      ],
    });
    expect(await request(p, `${lab}/redirect?to=/status/200?cors=1`)).toMatchObject({ ok: true, ...seen });
    const outcome = await firstOutcome(p);
    expect(outcome).toMatchObject({ kind, policy: 'passthrough', ruleIndex: 1 });
    expect(outcome.detail).toMatch(new RegExp(`redirected to .*/status/200\\?cors=1, which status \\(policy "${policy}"\\) handles`));
    expect(arrived()).toEqual(['GET /redirect?to=/status/200?cors=1', ...Array<string>(finalRequests).fill('GET /status/200?cors=1')]);
  });

  /** After a navigation away: the test page again, under the same worker, for its outcomes. */
  async function backToTestPage(p: TestPage, config: TestConfig): Promise<void> {
    await p.goto(suite.stack.pageUrl(config));
    await p.evaluate(() => window.crossrouteTest.ready);
    await p.waitForController();
  }
  /** Navigates the page from its own script, and waits until the document at `path` has loaded. */
  async function navigate(p: TestPage, url: string, path: string): Promise<void> {
    await p.evaluate((url) => void setTimeout(() => (location.href = url)), url);
    // Asked while the documents change, a probe may fail: it is asked again.
    const at = (): Promise<string> => p.evaluate(() => (document.readyState === 'complete' ? location.pathname : '')).catch(() => '');
    await eventually(async () => ((await at()) === path ? true : undefined));
  }
  /** A blocked request sent last: the first outcome being its own shows the worker recorded nothing before it. */
  async function nothingRecordedBefore(p: TestPage): Promise<void> {
    const lab = suite.stack.lab.origin;
    await request(p, `${lab}/status/404`);
    expect(await firstOutcome(p)).toMatchObject({ url: `${lab}/status/404`, kind: 'blocked' });
    expect(await outcomes(p)).toHaveLength(1);
  }

  it('a request no rule matches is never intercepted: its redirect into a blocked URL arrives', async () => {
    const lab = suite.stack.lab.origin;
    const p = await suite.controlledPage({ rules: [{ name: 'admin', match: { origin: lab, path: '/status/**' }, policy: 'block' }] });
    expect(await request(p, `${lab}/redirect?to=/status/200?cors=1`)).toMatchObject({ ok: true, status: 200, body: 'status 200' });
    expect(arrived()).toEqual(['GET /redirect?to=/status/200?cors=1', 'GET /status/200?cors=1']);
    await nothingRecordedBefore(p);
  });

  it('a navigation to another origin is not the worker\'s (scope): its redirect into a blocked URL arrives', async () => {
    const lab = suite.stack.lab.origin;
    const config: TestConfig = { rules: [{ name: 'admin', match: { origin: lab, path: '/status/**' }, policy: 'block' }] };
    const p = await suite.controlledPage(config);
    await navigate(p, `${lab}/redirect?to=/status/200`, '/status/200');
    // The browser also asks the lab for its favicon (Chromium).
    expect(arrived().filter((r) => r !== 'GET /favicon.ico')).toEqual(['GET /redirect?to=/status/200', 'GET /status/200']);
    await backToTestPage(p, config);
    await nothingRecordedBefore(p);
  });

  // A navigation's redirect is not followed inside the worker's fetch() (navigations have redirect
  // mode "manual"): the browser follows it and dispatches the next URL as a new navigation, to the
  // worker whose scope holds it. In the worker's own scope that hop meets the rules.
  it.each([
    ['no rule matches the first URL', []],
    ['a passthrough rule answers the first URL', [{ match: { path: '/same-origin/redirect', mode: 'navigate' as const }, policy: 'passthrough' }]],
  ])('a navigation redirected to a blocked URL in the worker\'s scope is blocked there (%s)', async (_, first: TestRule[]) => {
    const { app } = suite.stack;
    const config: TestConfig = {
      rules: [{ name: 'admin', match: { origin: app.origin, path: '/same-origin/data.json', mode: 'navigate' }, policy: 'block' }, ...first.map((rule) => ({ ...rule, match: { origin: app.origin, ...rule.match } }))],
    };
    const p = await suite.controlledPage(config);
    const before = app.requests().length;
    await navigate(p, `${app.origin}/same-origin/redirect`, '/same-origin/data.json');
    const reached = app.requests().slice(before);
    await backToTestPage(p, config);
    const blocked = await eventually(async () => (await outcomes(p)).find((o) => o.kind === 'blocked'));
    expect(blocked).toMatchObject({ url: `${app.origin}/same-origin/data.json`, mode: 'navigate', policy: 'block', ruleIndex: 0 });
    expect(reached).toContain('GET /same-origin/redirect');
    expect(reached).not.toContain('GET /same-origin/data.json');
    if (first.length > 0) expect((await outcomes(p)).find((o) => o.ruleIndex === 1)).toMatchObject({ url: `${app.origin}/same-origin/redirect`, policy: 'passthrough' });
  });
});
