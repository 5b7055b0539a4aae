import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../../demo/app-server.js';
import { startLab, type Lab } from '../../demo/lab/server.js';
import { diagnose, type DoctorRequest } from '../../src/doctor/index.js';
import type { Outcome } from '../../src/model/outcome.js';
import type { TestRule } from '../fixtures/test-config.js';
import { enginesFromEnv, launch, type BrowserSession, type TestPage } from '../helpers/browser.js';
import { eventually } from '../helpers/stack.js';

/**
 * Diagnosis in the worker: a cors-mode request the browser refuses gets an outcome whose `reason`
 * and `fix` are the ones the doctor gives (run here, in Node, against the same lab URL), because the
 * worker asked crossroute/proxy on the app's origin (the rule's `diagnose` option).
 */
interface Case {
  path: string;
  init?: { method?: string; headers?: Record<string, string>; body?: string; credentials?: RequestCredentials };
}

const JSON_POST = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' };
const JSON_PUT = { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"a":1}' };
/** Every cors-mode request of the demo and the lab that a browser refuses (test/e2e/doctor.test.ts checks that they do). */
const BLOCKED: Case[] = [
  { path: '/no-cors' },
  { path: '/no-cors-redirect' },
  { path: '/preflight-405', init: JSON_POST },
  { path: '/preflight-401', init: { headers: { authorization: 'Bearer demo' } } },
  { path: '/missing-allow-headers', init: JSON_POST },
  { path: '/wrong-allow-origin' },
  { path: '/wildcard-credentials', init: { credentials: 'include' } },
  { path: '/two-allow-origins' },
  { path: '/missing-allow-methods', init: JSON_PUT },
  { path: '/preflight-redirect', init: JSON_PUT },
  // opaque-cache's cors-mode miss on an origin without CORS (its readable 502)
  { path: '/assets/data.json' },
];

describe.each(enginesFromEnv())('diagnosis in the worker, in %s', (engine) => {
  let app: AppServer;
  let lab: Lab;
  let browser: BrowserSession;
  let page: TestPage;

  const rules = (): TestRule[] => [
    { match: { origin: lab.origin, path: '/wildcard-credentials' }, policy: 'cors', options: { diagnose: true, credentials: 'include' } },
    { match: { origin: lab.origin, path: '/assets/data.json' }, policy: 'opaque-cache', options: { diagnose: true } },
    // The same refusal without `diagnose`: today's explanation only.
    { match: { origin: lab.origin, path: '/cors', method: 'DELETE' }, policy: 'cors' },
    // A proxy slow to answer (its authorize waits): the page must not wait for it.
    { match: { origin: lab.origin, path: '/status/*' }, policy: 'cors', options: { diagnose: '/__proxy-slow' } },
    { match: { origin: lab.origin }, policy: 'cors', options: { diagnose: true } },
  ];

  beforeAll(async () => {
    const options = (delayMs: number) => (appOrigin: string) => ({
      allow: [lab.origin],
      appOrigins: [appOrigin],
      admitLoopbackForTests: [new URL(lab.origin).host],
      authorize: () => new Promise<boolean>((resolve) => setTimeout(() => resolve(true), delayMs)),
    });
    app = await startAppServer({ proxies: { '/__proxy': options(0), '/__proxy-slow': options(4000) } });
    lab = await startLab({ appOrigin: app.origin });
    browser = await launch(engine);
    page = await browser.newPage();
    await page.goto(`${app.origin}/test.html?config=${encodeURIComponent(JSON.stringify({ rules: rules() }))}`);
    await Promise.all([page.evaluate(() => window.crossrouteTest.ready), page.waitForController()]);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([app?.close(), lab?.close()]);
  });

  /** What the page saw, and how long it waited. */
  const fromPage = (url: string, init: Case['init'] = {}) =>
    page.evaluate(
      async ({ url, init }) => {
        const started = performance.now();
        try {
          const response = await fetch(url, init as RequestInit);
          return { status: response.status, statusText: response.statusText, ms: performance.now() - started };
        } catch (error) {
          return { error: String(error), ms: performance.now() - started };
        }
      },
      { url, init: init as Record<string, unknown> },
    ) as Promise<{ status?: number; statusText?: string; error?: string; ms: number }>;
  const outcomeOf = (url: string, method = 'GET'): Promise<Outcome> =>
    eventually(async () => ((await page.evaluate(() => window.crossrouteTest.outcomes())) as Outcome[]).find((o) => o.url === url && o.method === method));

  it.each(BLOCKED)('$path: the outcome carries the reason and fix the doctor gives', async ({ path, init = {} }) => {
    const url = `${lab.origin}${path}`;
    const seen = await fromPage(url, init);
    const outcome = await outcomeOf(url, init.method);
    const { body: _body, ...asked } = init;
    const expected = await diagnose({ url, origin: app.origin, ...(asked as Partial<DoctorRequest>) }, { fetch: (target, options) => fetch(target, options) });
    expect(outcome.kind).toBe('cors-blocked');
    expect({ reason: outcome.reason, fix: outcome.fix }).toEqual({ reason: expected.failure!.reason, fix: expected.failure!.fix });
    expect(outcome.detail).toContain(expected.failure!.message);
    if (path === '/assets/data.json') {
      // opaque-cache's readable 502 names the option that fixes it, where the console shows it.
      expect(seen).toMatchObject({ status: 502, statusText: 'No CORS: set corsFallback "proxy"' });
    } else {
      expect(seen.error).toBeDefined();
    }
  });

  it('without diagnose, the outcome keeps the explanation it had and no reason', async () => {
    const url = `${lab.origin}/cors`;
    await fromPage(url, { method: 'DELETE' });
    const outcome = await outcomeOf(url, 'DELETE');
    expect(outcome).toMatchObject({ kind: 'cors-blocked', detail: 'the origin answered but refused CORS; the request was preflighted (DELETE is not a CORS-safelisted method (GET, HEAD, POST))' });
    expect(outcome.reason).toBeUndefined();
    expect(outcome.fix).toBeUndefined();
  });

  it('the page does not wait for the diagnosis: the outcome is written when it returns', async () => {
    const url = `${lab.origin}/status/404`;
    const seen = await fromPage(url);
    expect(seen.error).toBeDefined();
    // The slow proxy answers after 4 s; the page had its answer well before.
    expect(seen.ms).toBeLessThan(3000);
    // Not there while the slow proxy is still diagnosing…
    expect(((await page.evaluate(() => window.crossrouteTest.outcomes())) as Outcome[]).some((o) => o.url === url)).toBe(false);
    // …and written with the reason once it answers.
    const outcome = await outcomeOf(url);
    expect(outcome).toMatchObject({ kind: 'cors-blocked', reason: 'CORSMissingAllowOrigin' });
  });
});
