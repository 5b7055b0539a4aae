import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enginesFromEnv, type TestPage } from '../helpers/browser.js';
import { useE2eSuite } from '../helpers/e2e-suite.js';

/**
 * The lab without crossroute: proves each endpoint makes the browser behave as the seed articles
 * describe, so the tests with the worker compare against real browser behaviour.
 */
interface Seen {
  ok: boolean;
  type?: string;
  status?: number;
  redirected?: boolean;
  body?: string;
  error?: string;
}

describe.each(enginesFromEnv())('the CORS lab without a service worker, in %s', (engine) => {
  const suite = useE2eSuite(engine);
  let page: TestPage;

  // One page for the whole file (no worker, nothing stored): not suite.newPage(), which closes it after each test.
  beforeAll(async () => {
    page = await suite.browser.newPage();
    await page.goto(suite.stack.pageUrl());
  });
  beforeEach(() => suite.stack.lab.clear());

  const request = (url: string, init: RequestInit = {}): Promise<Seen> =>
    page.evaluate(
      async ({ url, init }) => {
        try {
          const r = await fetch(url, init);
          return { ok: true, type: r.type, status: r.status, redirected: r.redirected, body: r.type === 'opaque' ? '' : await r.text() };
        } catch (error) {
          return { ok: false, error: String(error) };
        }
      },
      { url, init: init as Record<string, unknown> },
    ) as Promise<Seen>;
  const arrived = (): string[] => suite.stack.lab.records().map((r) => `${r.method} ${r.path.split('?')[0]}`);

  it('seed 000: /cors is readable; /no-cors reached the server but the page cannot read it', async () => {
    expect(await request(`${suite.stack.lab.origin}/cors`)).toMatchObject({ ok: true, type: 'cors', status: 200, body: '{"endpoint":"cors"}' });
    expect(await request(`${suite.stack.lab.origin}/no-cors`)).toMatchObject({ ok: false });
    expect(arrived()).toEqual(['GET /cors', 'GET /no-cors']);
  });

  it('seed 000: a cors-mode fetch follows /cors-redirect, and stops at the first hop of /no-cors-redirect', async () => {
    expect(await request(`${suite.stack.lab.origin}/cors-redirect`)).toMatchObject({ ok: true, type: 'cors', redirected: true, body: '{"endpoint":"cors"}' });
    expect(await request(`${suite.stack.lab.origin}/no-cors-redirect`)).toMatchObject({ ok: false });
    expect(arrived()).toEqual(['GET /cors-redirect', 'GET /cors', 'GET /no-cors-redirect']);
  });

  it('seed 000: a no-cors fetch follows /no-cors-redirect to /cors and gets an opaque response', async () => {
    expect(await request(`${suite.stack.lab.origin}/no-cors-redirect`, { mode: 'no-cors' })).toMatchObject({ ok: true, type: 'opaque', status: 0 });
    expect(arrived()).toEqual(['GET /no-cors-redirect', 'GET /cors']);
  });

  it('seed 004: a JSON PUT to /preflight sends OPTIONS first, then the PUT', async () => {
    const seen = await request(`${suite.stack.lab.origin}/preflight`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(seen).toMatchObject({ ok: true, status: 200 });
    expect(arrived()).toEqual(['OPTIONS /preflight', 'PUT /preflight']);
    expect(suite.stack.lab.records()[0]!.headers['access-control-request-method']).toBe('PUT');
  });

  it.each([
    ['/preflight-405', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }],
    ['/preflight-401', { headers: { authorization: 'Bearer token' } }],
    ['/missing-allow-headers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }],
  ])('seed 004: %s fails its preflight, so only OPTIONS arrives', async (path, init) => {
    expect(await request(`${suite.stack.lab.origin}${path}`, init)).toMatchObject({ ok: false });
    expect(arrived()).toEqual([`OPTIONS ${path}`]);
    // Preflights never carry credentials such as Authorization (seed 004's 401 trap).
    expect(suite.stack.lab.records()[0]!.headers['authorization']).toBeUndefined();
  });

  it('seed 003: a form POST to /delete-post executes although fetch rejects', async () => {
    const seen = await request(`${suite.stack.lab.origin}/delete-post`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'id=13' });
    expect(seen).toMatchObject({ ok: false });
    const deleted = await request(`${suite.stack.lab.origin}/deleted`);
    expect(JSON.parse(deleted.body!).deleted).toContain('13');
  });

  it('a JSON beacon POST sends only the OPTIONS preflight: its data never arrives', async () => {
    await request(`${suite.stack.lab.origin}/beacon`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"event":"x"}' });
    expect(arrived()).toEqual(['OPTIONS /beacon']);
  });

  it('a text/plain beacon POST is a simple request: it arrives with its body although the page cannot read the answer', async () => {
    expect(await request(`${suite.stack.lab.origin}/beacon`, { method: 'POST', body: 'event=x' })).toMatchObject({ ok: false });
    expect(arrived()).toEqual(['POST /beacon']);
    expect(suite.stack.lab.records()[0]!.body).toBe('event=x');
  });

  it('an <img> loads a non-CORS asset (no-cors request) with its natural size', async () => {
    const size = await page.evaluate(
      (src) =>
        new Promise<string>((resolve) => {
          const img = new Image();
          img.onload = () => resolve(`${img.naturalWidth}x${img.naturalHeight}`);
          img.onerror = () => resolve('error');
          img.src = src;
        }),
      `${suite.stack.lab.origin}/assets/pixel.png`,
    );
    expect(size).toBe('16x8');
  });
});
