import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../../demo/app-server.js';
import { PIXEL } from '../../demo/lab/assets.js';
import { startLab, type Lab, type LabRecord } from '../../demo/lab/server.js';
import type { Outcome } from '../../src/model/outcome.js';
import type { ProxyLogEntry } from '../../src/proxy/node.js';
import type { TestRule } from '../fixtures/test-config.js';
import { enginesFromEnv, fontRequestMode, launch, type BrowserSession, type TestPage } from '../helpers/browser.js';
import { eventually } from '../helpers/stack.js';
import { startUpstream, type Upstream } from '../unit/proxy/fixtures/upstream.js';

/**
 * The proxy policy in the real worker, against crossroute/proxy mounted on the app's origin and
 * the lab as the third party. `/__proxy` is the default, strict proxy (same-origin callers and the
 * app origin); `/__proxy-null` also admits `Origin: null`, which redirect mode needs in Firefox.
 */
interface Seen {
  ok: boolean;
  type?: string;
  status?: number;
  redirected?: boolean;
  url?: string;
  /** The x-crossroute-upstream-status header, as the page reads it. */
  upstream?: string | null;
  body?: string;
  error?: string;
}

describe.each(enginesFromEnv())('the proxy policy through crossroute/proxy, in %s', (engine) => {
  let app: AppServer;
  let lab: Lab;
  /** Bodies the lab does not send: chunked of any size, a trickle, a drip held until released. */
  let upstream: Upstream;
  let browser: BrowserSession;
  let page: TestPage | undefined;
  const seenByProxy: Array<ProxyLogEntry & { proxy: string }> = [];

  beforeAll(async () => {
    // Created at their first request, when the lab's origin is known; loopback is admitted for the lab only.
    const proxy = (path: string, extraOrigins: string[], forwardCredentials = false) => (appOrigin: string) => ({
      allow: [{ origin: lab.origin, forwardCookie: forwardCredentials, forwardAuthorization: forwardCredentials }],
      appOrigins: [appOrigin, ...extraOrigins],
      admitLoopbackForTests: [new URL(lab.origin).host],
      log: (entry: ProxyLogEntry) => seenByProxy.push({ proxy: path, ...entry }),
    });
    app = await startAppServer({
      proxies: {
        '/__proxy': proxy('/__proxy', []),
        '/__proxy-null': proxy('/__proxy-null', ['null']),
        // The control: a target rule that does forward the caller's credentials.
        '/__proxy-credentials': proxy('/__proxy-credentials', [], true),
        // Tight limits, for bodies the proxy cuts after their status went out.
        '/__proxy-tight': () => ({
          allow: [upstream.origin],
          admitLoopbackForTests: [upstream.host],
          maxResponseBytes: 64 * 1024,
          deadlineSeconds: 1.5,
          log: (entry: ProxyLogEntry) => seenByProxy.push({ proxy: '/__proxy-tight', ...entry }),
        }),
      },
    });
    upstream = await startUpstream();
    lab = await startLab({ appOrigin: app.origin });
    browser = await launch(engine);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([app?.close(), lab?.close(), upstream?.close()]);
  });
  afterEach(async () => {
    await page?.close();
    page = undefined;
  });

  /** A fresh profile whose page is controlled by the worker under test with these rules; both logs emptied. */
  async function controlledPage(rules: TestRule[]): Promise<TestPage> {
    lab.clear();
    seenByProxy.length = 0;
    const opened = (page = await browser.newPage());
    await opened.goto(`${app.origin}/test.html?config=${encodeURIComponent(JSON.stringify({ rules }))}`);
    await Promise.all([opened.evaluate(() => window.crossrouteTest.ready), opened.waitForController()]);
    return opened;
  }
  /** A fetch from the page; the proxy's own headers are readable there, since its answer is same-origin. */
  const request = (p: TestPage, url: string, init: Record<string, unknown> = {}): Promise<Seen> =>
    p.evaluate(
      async ({ url, init }) => {
        const response = await fetch(url, init as RequestInit).catch((error: unknown) => String(error));
        if (typeof response === 'string') return { ok: false, error: response };
        const { type, status, redirected, url: at, headers } = response;
        return { ok: true, type, status, redirected, url: at, upstream: headers.get('x-crossroute-upstream-status'), body: type === 'opaque' ? '' : await response.text() };
      },
      { url, init },
    );
  const nthOutcome = (p: TestPage, n: number): Promise<Outcome> =>
    eventually(async () => ((await p.evaluate(() => window.crossrouteTest.outcomes())) as Outcome[])[n]);
  /** The lab's own log, read over HTTP as any client would. */
  const labLog = async (): Promise<LabRecord[]> => (await fetch(`${lab.origin}/__log`)).json() as Promise<LabRecord[]>;
  const proxyRule = (options: Record<string, unknown> = {}, match: TestRule['match'] = {}): TestRule => ({ match: { origin: lab.origin, ...match }, policy: 'proxy', options });

  it('rewrite: JSON from /no-cors (no CORS headers) is readable in the page, and the outcome has the proxy and upstream status', async () => {
    const p = await controlledPage([proxyRule()]);
    const seen = await request(p, `${lab.origin}/no-cors`);
    expect(seen).toMatchObject({ ok: true, type: 'basic', status: 200, upstream: '200', body: '{"endpoint":"no-cors"}' });
    const outcome = await nthOutcome(p, 0);
    expect(outcome).toMatchObject({ policy: 'proxy', kind: 'ok', url: `${lab.origin}/no-cors`, status: 200, responseType: 'default', mode: 'cors' });
    expect(outcome.detail).toBe('through /__proxy: proxy 200, upstream 200');
    // The lab got the proxy's request: no Origin, as a server-to-server call.
    expect((await labLog()).map((r) => [r.method, r.path, r.headers.origin])).toEqual([['GET', '/no-cors', undefined]]);
  });

  it('rewrite: the seed chain /no-cors-redirect → /cors returns /cors\'s body', async () => {
    const p = await controlledPage([proxyRule()]);
    expect(await request(p, `${lab.origin}/no-cors-redirect`)).toMatchObject({ ok: true, status: 200, body: '{"endpoint":"cors"}' });
    expect((await nthOutcome(p, 0)).detail).toBe(`through /__proxy: proxy 200, upstream 200 at ${lab.origin}/cors after 1 redirect`);
    expect((await labLog()).map((r) => r.path)).toEqual(['/no-cors-redirect', '/cors']);
  });

  it('rewrite: a preflighted PUT goes through as one same-origin request: no OPTIONS reaches the lab (seed 004)', async () => {
    const p = await controlledPage([proxyRule()]);
    const seen = await request(p, `${lab.origin}/preflight-405`, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-custom': '1' }, body: '{"a":1}' });
    expect(seen).toMatchObject({ ok: true, status: 200 });
    expect(JSON.parse(seen.body!)).toEqual({ method: 'PUT', contentType: 'application/json', body: '{"a":1}' });
    expect((await labLog()).map((r) => [r.method, r.headers['x-custom']])).toEqual([['PUT', '1']]);
  });

  it('a font from an origin without CORS renders, and <img crossorigin> loads with readable pixels', async () => {
    const p = await controlledPage([proxyRule({}, { destination: ['font', 'image'] })]);
    const font = await p.evaluate(async (url) => {
      const face = new FontFace('LabFont', `url(${url})`);
      document.fonts.add(await face.load());
      const probe = document.createElement('span');
      probe.textContent = 'iiiiiiii';
      document.body.append(probe);
      probe.style.font = '32px serif';
      const fallback = probe.getBoundingClientRect().width;
      probe.style.font = '32px LabFont, serif';
      return { status: face.status, check: document.fonts.check('32px LabFont'), widthChanged: probe.getBoundingClientRect().width !== fallback };
    }, `${lab.origin}/assets/font.ttf`);
    expect(font).toEqual({ status: 'loaded', check: true, widthChanged: true });
    const pixel = await p.evaluate(
      (url) =>
        new Promise<unknown>((resolve) => {
          const img = new Image();
          img.crossOrigin = 'anonymous';
          img.onload = () => {
            const canvas = document.createElement('canvas');
            const context = canvas.getContext('2d')!;
            context.drawImage(img, 0, 0);
            resolve({ width: img.naturalWidth, height: img.naturalHeight, rgb: [...context.getImageData(0, 0, 1, 1).data.slice(0, 3)] });
          };
          img.onerror = () => resolve('error');
          img.src = url;
        }),
      `${lab.origin}/assets/pixel.png`,
    );
    expect(pixel).toEqual({ width: PIXEL.width, height: PIXEL.height, rgb: [...PIXEL.rgb] });
    const [fontOutcome, imageOutcome] = [await nthOutcome(p, 0), await nthOutcome(p, 1)];
    expect(fontOutcome).toMatchObject({ destination: 'font', mode: fontRequestMode(engine), kind: 'ok', detail: 'through /__proxy: proxy 200, upstream 200' });
    expect(imageOutcome).toMatchObject({ destination: 'image', mode: 'cors', kind: 'ok' });
  });

  it('no cookie and no Authorization of the app ever reach the lab (its /__log), unless a target rule forwards them', async () => {
    const p = await controlledPage([proxyRule({}, { path: '/no-cors' }), proxyRule({ proxyPath: '/__proxy-credentials' }, { path: '/cors' })]);
    await p.evaluate(() => {
      document.cookie = 'session=app-secret; path=/';
    });
    const init = { credentials: 'include', headers: { authorization: 'Bearer app-token' } };
    await request(p, `${lab.origin}/no-cors`, init);
    await request(p, `${lab.origin}/no-cors`, { method: 'POST', ...init, body: 'x' });
    await request(p, `${lab.origin}/cors`, init);
    const log = await labLog();
    expect(log.map((r) => [r.method, r.path, r.headers.cookie, r.headers.authorization])).toEqual([
      ['GET', '/no-cors', undefined, undefined],
      ['POST', '/no-cors', undefined, undefined],
      // The same page, cookie and header: so they did reach the proxy, and the default rule dropped them.
      ['GET', '/cors', 'session=app-secret', 'Bearer app-token'],
    ]);
  });

  it('a target outside the proxy\'s allowlist gets the proxy\'s refusal, readable, recorded as proxy-error', async () => {
    const elsewhere = 'http://127.0.0.1:8999';
    const p = await controlledPage([{ match: { origin: elsewhere }, policy: 'proxy' }]);
    const seen = await request(p, `${elsewhere}/data`);
    expect(seen).toMatchObject({ ok: true, status: 403 });
    expect(JSON.parse(seen.body!)).toMatchObject({ error: 'target-not-allowed' });
    const outcome = await nthOutcome(p, 0);
    expect(outcome).toMatchObject({ kind: 'proxy-error', status: 403 });
    expect(outcome.detail).toMatch(/^\/__proxy answered 403 target-not-allowed: the target http:\/\/127\.0\.0\.1:8999 is not in the proxy's allowlist/);
  });

  it('a redirect from a listed target into one the allowlist lacks is refused at that hop: the refused target gets nothing', async () => {
    // /__proxy-tight lists only the upstream; the lab is another origin (another port).
    const p = await controlledPage([{ match: { origin: upstream.origin }, policy: 'proxy', options: { proxyPath: '/__proxy-tight' } }]);
    const sent = upstream.requests.length;
    const seen = await request(p, `${upstream.origin}/redirect?to=${encodeURIComponent(`${lab.origin}/cors`)}`);
    expect(seen).toMatchObject({ ok: true, status: 403 });
    expect(JSON.parse(seen.body!)).toMatchObject({ error: 'target-not-allowed' });
    const outcome = await nthOutcome(p, 0);
    expect(outcome).toMatchObject({ kind: 'proxy-error', status: 403 });
    expect(outcome.detail).toContain(`to ${lab.origin} is not in the proxy's allowlist`);
    expect(upstream.requests.slice(sent).map((r) => r.path)).toEqual([`/redirect?to=${encodeURIComponent(`${lab.origin}/cors`)}`]);
    expect(await labLog()).toEqual([]);
  });

  it('a proxy path where nothing is mounted is recorded as proxy-error with the likely cause', async () => {
    const p = await controlledPage([proxyRule({ proxyPath: '/not-mounted' })]);
    expect(await request(p, `${lab.origin}/no-cors`)).toMatchObject({ ok: true, status: 404 });
    expect((await nthOutcome(p, 0)).detail).toBe("/not-mounted answered 404 without crossroute's headers: is crossroute/proxy mounted at that path?");
  });

  describe('a body the proxy cuts after the status went out: the page\'s read fails, and the proxy\'s log and the worker\'s outcome say why', () => {
    const tightRule = (): TestRule => ({ match: { origin: upstream.origin }, policy: 'proxy', options: { proxyPath: '/__proxy-tight' } });
    /** The page's fetch: the status it got, then how reading the whole body ended. */
    const readAll = (p: TestPage, url: string): Promise<{ status: number; read: string }> =>
      p.evaluate(async (url) => {
        const response = await fetch(url);
        const read = await response.arrayBuffer().then(
          (body) => `${body.byteLength} bytes`,
          (error: unknown) => `failed: ${String(error)}`,
        );
        return { status: response.status, read };
      }, url);
    const proxyEntry = (): Promise<ProxyLogEntry> => eventually(async () => seenByProxy.find((entry) => entry.proxy === '/__proxy-tight'));

    it('over maxResponseBytes: response-too-large', async () => {
      const p = await controlledPage([tightRule()]);
      const seen = await readAll(p, `${upstream.origin}/chunked?bytes=${1024 * 1024}`);
      expect(seen.status).toBe(200);
      expect(seen.read).toMatch(/^failed: /);
      expect(await proxyEntry()).toMatchObject({ status: 200, upstreamStatus: 200, error: 'response-too-large' });
      const outcome = await nthOutcome(p, 0);
      expect(outcome).toMatchObject({ policy: 'proxy', kind: 'proxy-error', status: 200 });
      // Engines may drop the last bytes before a body error (measured under load: WebKit passed 1,024
      // of 65,536, Chromium 64,919 and 0), so the bytes the worker saw cannot always tell a size cut:
      // the worker asks the proxy for the exchange's record, and the code is exact whatever arrived.
      expect(outcome.detail).toMatch(/^through \/__proxy-tight: proxy 200, upstream 200; the body failed after \d+ bytes: response-too-large \(the proxy's record of the exchange\)$/);
      // The worker's one question, as a same-origin caller, answered 200.
      expect(seenByProxy.filter((entry) => entry.target === null).map((entry) => [entry.method, entry.fetchSite, entry.status])).toEqual([['GET', 'same-origin', 200]]);
    });

    it('past the deadline, a body that trickles: upstream-timeout', async () => {
      const p = await controlledPage([tightRule()]);
      const seen = await readAll(p, `${upstream.origin}/trickle`);
      expect(seen.status).toBe(200);
      expect(seen.read).toMatch(/^failed: /);
      expect(await proxyEntry()).toMatchObject({ status: 200, upstreamStatus: 200, error: 'upstream-timeout' });
      const outcome = await nthOutcome(p, 0);
      expect(outcome).toMatchObject({ policy: 'proxy', kind: 'proxy-error', status: 200 });
      expect(outcome.detail).toMatch(/^through \/__proxy-tight: proxy 200, upstream 200; the body failed after \d+ bytes: upstream-timeout \(the proxy's record of the exchange\)$/);
    });

    it('a whole body: ok, written only once the body has been delivered', async () => {
      const p = await controlledPage([tightRule()]);
      const dripped = p.evaluate(async (url) => (await fetch(url)).text(), `${upstream.origin}/drip`);
      await eventually(async () => (upstream.requests.some((r) => r.path === '/drip') ? true : undefined));
      // The status and first chunk are out; the body is not: no outcome yet.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await p.evaluate(() => window.crossrouteTest.outcomes())).toEqual([]);
      await fetch(`${upstream.origin}/drip-release`);
      expect(await dripped).toBe('first;second');
      expect(upstream.requests.filter((r) => r.path === '/drip')).toHaveLength(1);
      expect(await nthOutcome(p, 0)).toMatchObject({ policy: 'proxy', kind: 'ok', status: 200, detail: 'through /__proxy-tight: proxy 200, upstream 200' });
      expect(await proxyEntry()).not.toHaveProperty('error');
    });
  });

  it('redirect mode: the worker answers 307 to the proxy; how the browser follows it differs by engine', async () => {
    const p = await controlledPage([proxyRule({ mode: 'redirect' })]);
    const strict = await request(p, `${lab.origin}/no-cors`);
    expect(await nthOutcome(p, 0)).toMatchObject({ kind: 'proxy-redirect', status: 307, detail: 'answered with a 307 to /__proxy; the browser fetches the target through it' });
    const credentialed = await request(p, `${lab.origin}/no-cors`, { credentials: 'include' });
    const put = await request(p, `${lab.origin}/preflight`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    const image = await p.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const img = new Image();
          img.onload = () => resolve('loaded');
          img.onerror = () => resolve('error');
          img.src = url;
        }),
      `${lab.origin}/assets/pixel.png`,
    );
    const seen = seenByProxy.map((e) => [e.method, e.origin, e.fetchSite, e.status]);
    if (engine === 'chromium') {
      // Chromium follows a worker's redirect to its own origin as a fresh same-origin request: no
      // CORS tainting, no Origin on a GET, Sec-Fetch-Site same-origin. The strict proxy serves it all.
      expect(strict).toMatchObject({ ok: true, type: 'basic', redirected: true, body: '{"endpoint":"no-cors"}' });
      expect(strict.url).toBe(`${app.origin}/__proxy?url=${encodeURIComponent(`${lab.origin}/no-cors`)}`);
      expect(credentialed).toMatchObject({ ok: true, type: 'basic' });
      expect(put).toMatchObject({ ok: true, type: 'basic', status: 200 });
      expect(image).toBe('loaded');
      expect(seen).toEqual([
        ['GET', null, 'same-origin', 200],
        ['GET', null, 'same-origin', 200],
        ['PUT', app.origin, 'same-origin', 200],
        ['GET', null, 'same-origin', 200],
      ]);
    } else {
      // Firefox and WebKit follow the Fetch Standard: the cross-origin hop taints the request, so the
      // proxy sees Origin: null, and must grant CORS to "null". (WebKit also checks CORS on the
      // worker's 307 itself, which is why the worker's redirect allows the page's origin.)
      expect([strict.ok, credentialed.ok, put.ok, image]).toEqual([false, false, false, 'error']);
      expect(seen).toEqual(
        engine === 'firefox'
          ? [
              ['GET', 'null', 'cross-site', 403],
              ['GET', 'null', 'cross-site', 403],
              // The preflight still carries the page's origin; the PUT after it does not.
              ['OPTIONS', app.origin, 'same-origin', 204],
              ['PUT', 'null', 'cross-site', 403],
              // A no-cors request has no Origin at all: nothing tells the app from any other site.
              ['GET', null, 'cross-site', 403],
            ]
          : [
              // WebKit calls the tainted GET same-origin: the strict proxy answers it, but without
              // CORS for "null", so the page cannot read it. Its preflight is tainted too.
              ['GET', 'null', 'same-origin', 200],
              ['GET', 'null', null, 403],
              ['OPTIONS', 'null', null, 403],
              ['GET', null, 'cross-site', 403],
            ],
      );
      const q = await controlledPage([proxyRule({ mode: 'redirect', proxyPath: '/__proxy-null' })]);
      // WebKit's response does not say it was redirected (redirected: false, measured).
      expect(await request(q, `${lab.origin}/no-cors`)).toMatchObject({ ok: true, type: 'cors', redirected: engine === 'firefox', body: '{"endpoint":"no-cors"}' });
      // A tainted request with credentials "include" cannot pass: the proxy never allows credentials.
      expect(await request(q, `${lab.origin}/no-cors`, { credentials: 'include' })).toMatchObject({ ok: false });
      expect(seenByProxy.map((e) => [e.origin, e.fetchSite, e.status])).toEqual(
        engine === 'firefox' ? [['null', 'cross-site', 200], ['null', 'cross-site', 200]] : [['null', 'same-origin', 200], ['null', null, 200]],
      );
    }
  });
});
