import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../../demo/app-server.js';
import { startLab, type Lab } from '../../demo/lab/server.js';
import type { Outcome } from '../../src/model/outcome.js';
import { enginesFromEnv, fontRequestMode, launch, type BrowserSession } from '../helpers/browser.js';
import { eventually } from '../helpers/stack.js';

/**
 * opaque-cache's CORS fallback: a cors-mode request (a font) whose origin sends no CORS goes to
 * crossroute/proxy, mounted on the app's origin, and the proxied answer is cached like any other.
 * WebKit asks for fonts in no-cors mode: there the opaque answer is the font, cached as such.
 */
describe.each(enginesFromEnv())('the opaque-cache CORS fallback through crossroute/proxy, in %s', (engine) => {
  let app: AppServer;
  let lab: Lab;
  /** An origin of its own for the knowledge test (the first test stops `lab`). */
  let other: Lab;
  let browser: BrowserSession;

  beforeAll(async () => {
    // The proxy is created at its first request, when the lab's origin is known.
    app = await startAppServer({
      proxies: { '/__proxy': () => ({ allow: [lab.origin, other.origin], admitLoopbackForTests: [new URL(lab.origin).host, new URL(other.origin).host] }) },
    });
    lab = await startLab({ appOrigin: app.origin });
    other = await startLab({ appOrigin: app.origin });
    browser = await launch(engine);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([app?.close(), lab?.close(), other?.close()]);
  });

  it('loads a font the origin serves without CORS (through the proxy where fonts are cors-mode), then from cache with the lab stopped', async () => {
    const mode = fontRequestMode(engine);
    const rules = [{ match: { origin: lab.origin }, policy: 'opaque-cache', options: { cacheName: 'test', corsFallback: 'proxy' } }];
    const page = await browser.newPage();
    try {
      await page.goto(`${app.origin}/test.html?config=${encodeURIComponent(JSON.stringify({ rules }))}`);
      await page.evaluate(() => window.crossrouteTest.ready);
      await page.waitForController();
      // A fragment per load keeps Firefox's own font cache from answering the second load.
      const load = (fragment: string): Promise<string> =>
        page.evaluate((url) => new FontFace(url, `url(${url})`).load().then((face) => face.status, (e: unknown) => `failed: ${String(e)}`), `${lab.origin}/assets/font.ttf#${fragment}`);
      const outcomes = (): Promise<Outcome[]> => page.evaluate(() => window.crossrouteTest.outcomes()) as Promise<Outcome[]>;

      expect(await load('online')).toBe('loaded');
      const [miss] = await eventually(async () => ((await outcomes()).length > 0 ? outcomes() : undefined));
      if (mode === 'cors') {
        // The cors attempt (refused, but it reached the lab), the no-cors probe, the proxy's request.
        expect(lab.records().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /assets/font.ttf', 'HEAD /assets/font.ttf', 'GET /assets/font.ttf']);
        expect(miss).toMatchObject({ kind: 'cache-miss', mode: 'cors', destination: 'font', status: 200 });
        expect(miss!.detail).toMatch(/^the origin refused CORS; through \/__proxy: proxy 200, upstream 200; stored/);
      } else {
        // A no-cors request may take an opaque answer: no fallback is needed.
        expect(lab.records().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /assets/font.ttf']);
        expect(miss).toMatchObject({ kind: 'cache-miss', mode: 'no-cors', destination: 'font', responseType: 'opaque' });
      }
      await eventually(() => page.evaluate(async (name) => ((await (await caches.open(name)).keys()).length === 1 ? true : undefined), `test:${mode}`));

      await lab.close();
      expect(await load('offline')).toBe('loaded');
      const hit = await eventually(async () => (await outcomes())[1]);
      expect(hit).toMatchObject({ kind: 'cache-hit', mode, destination: 'font' });
    } finally {
      await page.close();
    }
  });

  it('sends one request per miss once the origin is known to refuse CORS (the proxy\'s), where the first miss took three', async () => {
    const rules = [{ match: { origin: other.origin }, policy: 'opaque-cache', options: { cacheName: 'known', corsFallback: 'proxy' } }];
    const page = await browser.newPage();
    try {
      other.clear();
      await page.goto(`${app.origin}/test.html?config=${encodeURIComponent(JSON.stringify({ rules }))}`);
      await page.evaluate(() => window.crossrouteTest.ready);
      await page.waitForController();
      const read = (n: number): Promise<unknown> =>
        page.evaluate((url) => fetch(url).then((r) => r.json(), (e: unknown) => `failed: ${String(e)}`), `${other.origin}/assets/data.json?n=${n}`);
      expect(await read(1)).toEqual({ endpoint: 'data', items: [1, 2, 3] });
      expect(other.records().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /assets/data.json?n=1', 'HEAD /assets/data.json?n=1', 'GET /assets/data.json?n=1']);
      for (const n of [2, 3, 4]) expect(await read(n)).toEqual({ endpoint: 'data', items: [1, 2, 3] });
      expect(other.records().map((r) => `${r.method} ${r.path}`).slice(3)).toEqual(['GET /assets/data.json?n=2', 'GET /assets/data.json?n=3', 'GET /assets/data.json?n=4']);
      // Each of those was the proxy's request: the worker sent nothing in cors mode, so no Origin reached the other.
      expect(other.records().slice(3).map((r) => r.headers['origin'])).toEqual([undefined, undefined, undefined]);
      const found = await eventually(async () => ((await page.evaluate(() => window.crossrouteTest.outcomes())) as Outcome[]).filter((o) => o.kind === 'cache-miss').length >= 4 ? (page.evaluate(() => window.crossrouteTest.outcomes()) as Promise<Outcome[]>) : undefined);
      expect(found[0]!.detail).toMatch(/^the origin refused CORS; through \/__proxy: proxy 200, upstream 200; stored/);
      expect(found[1]!.detail).toMatch(/^the origin refuses CORS \(simple requests, learned \d+ s ago\); through \/__proxy: proxy 200, upstream 200; stored/);
    } finally {
      await page.close();
    }
  });
});
