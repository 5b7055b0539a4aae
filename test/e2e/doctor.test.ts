import { beforeAll, describe, expect, it } from 'vitest';
import { diagnose, type DoctorRequest } from '../../src/doctor/index.js';
import { enginesFromEnv, type TestPage } from '../helpers/browser.js';
import { useE2eSuite } from '../helpers/e2e-suite.js';

/**
 * The doctor's verdicts against the browsers' own: for each cors-mode demo scenario and each of the
 * lab's CORS mistakes, the page (no service worker) fails exactly where the doctor says it fails,
 * and the lab receives the same requests from both. JavaScript never sees the browser's reason
 * (seed 001), so the reason codes are the unit tests' business; here the verdict and the traffic are.
 */
interface Case {
  path: string;
  init?: { method?: string; headers?: Record<string, string>; body?: string; credentials?: RequestCredentials };
  /** Response headers the page reads. */
  read?: string[];
}

const JSON_POST = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' };
const JSON_PUT = { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"a":1}' };
const cases: Case[] = [
  // demo scenarios in cors mode (seeds 000 and 004)
  { path: '/cors' },
  { path: '/no-cors' },
  { path: '/cors-redirect' },
  { path: '/no-cors-redirect' },
  { path: '/preflight', init: JSON_PUT },
  { path: '/preflight-405', init: JSON_POST },
  { path: '/preflight-401', init: { headers: { authorization: 'Bearer demo' } } },
  { path: '/missing-allow-headers', init: JSON_POST },
  // the lab's mistakes
  { path: '/wrong-allow-origin' },
  { path: '/wildcard-credentials', init: { credentials: 'include' } },
  { path: '/wildcard-credentials', init: { credentials: 'omit' } },
  { path: '/two-allow-origins' },
  { path: '/missing-allow-methods', init: JSON_PUT },
  { path: '/preflight-redirect', init: JSON_PUT },
  { path: '/unexposed-header', read: ['x-request-id'] },
  { path: '/cors', init: { credentials: 'include' } },
];

describe.each(enginesFromEnv())('the CORS doctor agrees with %s', (engine) => {
  const suite = useE2eSuite(engine);
  let page: TestPage;
  let origin: string;

  // One page for the file: no worker, nothing stored.
  beforeAll(async () => {
    page = await suite.browser.newPage();
    await page.goto(suite.stack.pageUrl());
    origin = new URL(suite.stack.pageUrl()).origin;
  });
  const arrived = (): string[] => suite.stack.lab.records().map((record) => `${record.method} ${record.path} origin=${record.headers['origin']}`);

  it.each(cases)('$path $init', async ({ path, init = {}, read = [] }) => {
    const url = `${suite.stack.lab.origin}${path}`;
    suite.stack.lab.clear();
    const request: DoctorRequest = { url, origin, ...init, sendActual: true, read };
    const diagnosis = await diagnose(request, { fetch: (target, options) => fetch(target, options) });
    const doctorSent = arrived();

    suite.stack.lab.clear();
    const seen = (await page.evaluate(
      async ({ url, init, read }) => {
        try {
          const response = await fetch(url, init);
          await response.text();
          return { readable: read.every((name) => response.headers.get(name) !== null) };
        } catch (error) {
          return { readable: false, error: String(error) };
        }
      },
      { url, init: init as Record<string, unknown>, read },
    )) as { readable: boolean; error?: string };

    expect(diagnosis.verdict, diagnosis.failure?.reason).toBe(seen.readable ? 'ok' : 'blocked');
    expect(arrived()).toEqual(doctorSent);
  });
});
