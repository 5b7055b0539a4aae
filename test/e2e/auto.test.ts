import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../../demo/app-server.js';
import { startLab, type Lab } from '../../demo/lab/server.js';
import type { Outcome } from '../../src/model/outcome.js';
import { enginesFromEnv, launch, type BrowserSession, type TestPage } from '../helpers/browser.js';
import type { TestRule } from '../fixtures/test-config.js';
import { eventually } from '../helpers/stack.js';

/** What the page's fetch() saw. */
interface Answer {
  type?: string;
  status?: number;
  body?: string;
  error?: string;
}

/**
 * The auto policy through the real worker: one rule for two third-party origins, the lab on two
 * ports of 127.0.0.1. `granting` grants CORS to the app (its `?cors=1` assets), `refusing` sends none;
 * crossroute/proxy is mounted on the app's origin. Every request at either origin is counted there,
 * the proxy's included.
 */
describe.each(enginesFromEnv())('the auto policy, in %s', (engine) => {
  let app: AppServer;
  let granting: Lab;
  let refusing: Lab;
  let browser: BrowserSession;
  const pages: TestPage[] = [];

  beforeAll(async () => {
    // The proxy is created at its first request, when the labs' origins are known.
    app = await startAppServer({
      proxies: { '/__proxy': () => ({ allow: [granting.origin, refusing.origin], admitLoopbackForTests: [new URL(granting.origin).host, new URL(refusing.origin).host] }) },
    });
    granting = await startLab({ appOrigin: app.origin });
    refusing = await startLab({ appOrigin: app.origin });
    browser = await launch(engine);
  });
  afterEach(() => Promise.all(pages.splice(0).map((page) => page.close().catch(() => undefined))).then(() => undefined));
  afterAll(async () => {
    await browser?.close();
    await Promise.all([app?.close(), granting?.close(), refusing?.close()]);
  });

  /** A fresh profile controlled by a worker with one auto rule for both origins, after the rules of `before`. */
  async function controlled(options: object, before: TestRule[] = []): Promise<TestPage> {
    granting.clear();
    refusing.clear();
    const rules: TestRule[] = [...before, { match: { origin: [granting.origin, refusing.origin] }, policy: 'auto', options }];
    const page = await browser.newPage();
    pages.push(page);
    await page.goto(`${app.origin}/test.html?config=${encodeURIComponent(JSON.stringify({ rules }))}`);
    await page.evaluate(() => window.crossrouteTest.ready);
    await page.waitForController();
    return page;
  }
  const get = (page: TestPage, url: string, mode: RequestMode = 'cors'): Promise<Answer> =>
    page.evaluate(
      ({ url, mode }) =>
        fetch(url, { mode }).then(
          async (r) => ({ type: r.type, status: r.status, body: r.type === 'opaque' ? '' : await r.text() }),
          (error: unknown) => ({ error: String(error) }),
        ),
      { url, mode },
    );
  /** Loads an image (no crossorigin attribute: a no-cors request); its natural width, or 0 on error. */
  const image = (page: TestPage, url: string): Promise<number> =>
    page.evaluate(
      (url) =>
        new Promise<number>((resolve) => {
          const img = new Image();
          img.onload = () => resolve(img.naturalWidth);
          img.onerror = () => resolve(0);
          img.src = url;
        }),
      url,
    );
  /** The worker's outcomes once there are `count`. */
  const outcomes = (page: TestPage, count: number): Promise<Outcome[]> =>
    eventually(async () => {
      const found = (await page.evaluate(() => window.crossrouteTest.outcomes())) as Outcome[];
      return found.length >= count ? found : undefined;
    });
  const requests = (lab: Lab): string[] => lab.records().map((r) => `${r.method} ${r.path}`);

  it('reads a CORS origin in cors mode: one request each, the knowledge in every outcome', async () => {
    const page = await controlled({ proxyPath: '/__proxy' });
    const url = (n: number): string => `${granting.origin}/assets/data.json?cors=1&n=${n}`;
    for (const n of [1, 2]) expect(await get(page, url(n))).toEqual({ type: 'cors', status: 200, body: '{"endpoint":"data","items":[1,2,3]}' });
    // A no-cors image from the same origin is read in cors mode too: a readable answer, not an opaque one.
    expect(await image(page, `${granting.origin}/assets/pixel.png?cors=1`)).toBe(16);
    expect(requests(granting)).toEqual(['GET /assets/data.json?cors=1&n=1', 'GET /assets/data.json?cors=1&n=2', 'GET /assets/pixel.png?cors=1']);
    const [first, second, pixel] = await outcomes(page, 3);
    expect(first).toMatchObject({ policy: 'auto', kind: 'ok', responseType: 'cors', mode: 'cors' });
    expect(first!.detail).toBe('cors: CORS unknown for the origin: this request probes it (simple requests); readable (cors 200)');
    expect(second!.detail).toMatch(new RegExp(`^cors: the origin grants CORS \\(${granting.origin}, simple requests, learned \\d+ s ago\\); readable \\(cors 200\\)$`));
    expect(pixel).toMatchObject({ kind: 'ok', responseType: 'cors', mode: 'no-cors', destination: 'image', changes: ['sent in cors mode without cookies (credentials same-origin), so the answer is readable'] });
    expect(refusing.records()).toEqual([]);
  });

  it('reads a non-CORS origin through the proxy: the first request probes (2 at the origin), then one each', async () => {
    const page = await controlled({ proxyPath: '/__proxy' });
    const url = (n: number): string => `${refusing.origin}/assets/data.json?n=${n}`;
    const answers = await Promise.all([1, 2, 3].map((n) => get(page, url(n))));
    expect(answers).toEqual(Array(3).fill({ type: 'basic', status: 200, body: '{"endpoint":"data","items":[1,2,3]}' }));
    // Three at once: one probes (its cors attempt, then the proxy), the others wait for its lesson.
    expect(requests(refusing)).toHaveLength(4);
    expect(await get(page, url(4))).toMatchObject({ type: 'basic', status: 200 });
    expect(requests(refusing).filter((r) => r === 'GET /assets/data.json?n=4')).toHaveLength(1);
    expect(requests(refusing)).toHaveLength(5);
    const all = await outcomes(page, 4);
    const probe = all.find((o) => o.detail?.startsWith('proxy: CORS unknown'));
    // The proxy policy answers with a Response of its own over the proxy's body (to see that body end):
    // `default` in the worker, `basic` in the page (checked above).
    expect(probe).toMatchObject({ kind: 'ok', responseType: 'default', status: 200 });
    expect(probe!.detail).toMatch(/^proxy: CORS unknown for the origin: this request probes it \(simple requests\); the cors attempt failed \(TypeError: .+\); through \/__proxy: proxy 200, upstream 200$/);
    const last = all.find((o) => o.url === url(4))!;
    expect(last.detail).toMatch(new RegExp(`^proxy: the origin refuses CORS \\(${refusing.origin}, simple requests, learned \\d+ s ago\\); through /__proxy: proxy 200, upstream 200$`));
    // A no-cors image from the refusing origin has a readable route too: the proxy, one request.
    expect(await image(page, `${refusing.origin}/assets/pixel.png`)).toBe(16);
    expect(requests(refusing).filter((r) => r === 'GET /assets/pixel.png')).toHaveLength(1);
    const pixel = (await outcomes(page, 5)).find((o) => o.destination === 'image');
    expect(pixel).toMatchObject({ kind: 'ok', responseType: 'default', mode: 'no-cors' });
    expect(granting.records()).toEqual([]);
  });

  it('never sends a POST twice: a failed CORS check is answered, and the next POST goes through the proxy', async () => {
    const page = await controlled({ proxyPath: '/__proxy' });
    const post = (id: string): Promise<Answer> =>
      page.evaluate(
        ({ url, id }) =>
          fetch(url, { method: 'POST', body: new URLSearchParams({ id }) }).then(
            async (r) => ({ type: r.type, status: r.status, body: await r.text() }),
            (error: unknown) => ({ error: String(error) }),
          ),
        { url: `${refusing.origin}/delete-post`, id },
      );
    // A form POST is a simple request: it reaches the lab and runs there, only the answer lacks CORS.
    expect((await post('1')).error).toMatch(/TypeError/);
    expect(requests(refusing)).toEqual(['POST /delete-post', 'HEAD /delete-post']);
    expect(await post('2')).toEqual({ type: 'basic', status: 200, body: 'deleted post 2' });
    expect(requests(refusing)).toEqual(['POST /delete-post', 'HEAD /delete-post', 'POST /delete-post']);
    const [first, second] = await outcomes(page, 2);
    expect(first).toMatchObject({ kind: 'cors-blocked', method: 'POST', responseType: null });
    expect(first!.detail).toBe('cors: CORS unknown for the origin: this request probes it (simple requests); the origin answered but refused CORS; a POST is not sent again');
    expect(second).toMatchObject({ kind: 'ok', method: 'POST', responseType: 'default', status: 200 });
    expect(second!.detail).toMatch(/^proxy: the origin refuses CORS \(.+, simple requests, learned \d+ s ago\); through \/__proxy: proxy 200, upstream 200$/);
  });

  it('with diagnose, the probe that finds a refusal asks the proxy why: its outcome gets reason and fix, as the doctor gives them', async () => {
    const page = await controlled({ proxyPath: '/__proxy', diagnose: true });
    const url = `${refusing.origin}/assets/data.json?n=1`;
    expect(await get(page, url)).toMatchObject({ type: 'basic', status: 200 });
    const probe = await eventually(async () => {
      const [first] = (await page.evaluate(() => window.crossrouteTest.outcomes())) as Outcome[];
      return first?.reason ? first : undefined;
    });
    expect(probe).toMatchObject({
      kind: 'ok',
      reason: 'CORSMissingAllowOrigin',
      fix: `send Access-Control-Allow-Origin: ${app.origin} on the answer to GET /assets/data.json?n=1`,
    });
    expect(probe!.detail).toMatch(/^proxy: CORS unknown for the origin: this request probes it \(simple requests\); the cors attempt failed \(TypeError: .+\); through \/__proxy: proxy 200, upstream 200; .*Access-Control-Allow-Origin/);
    // The cors attempt, the proxy's GET, the doctor's GET (from the server).
    expect(requests(refusing)).toEqual(Array(3).fill('GET /assets/data.json?n=1'));
    // Known to refuse: through the proxy, one request, and no refusal seen, so no diagnosis.
    expect(await get(page, `${refusing.origin}/assets/data.json?n=2`)).toMatchObject({ type: 'basic', status: 200 });
    const second = (await outcomes(page, 2)).find((o) => o.url.endsWith('n=2'));
    expect(second?.reason).toBeUndefined();
    expect(requests(refusing)).toHaveLength(4);
  });

  it("learns from a cors rule's outcome: auto's first miss on an origin the cors rule saw refuse is one request, through the proxy", async () => {
    const page = await controlled({ proxyPath: '/__proxy' }, [{ match: { origin: refusing.origin, path: '/assets/data.json' }, policy: 'cors' }]);
    expect((await get(page, `${refusing.origin}/assets/data.json`)).error).toMatch(/TypeError/);
    const [blocked] = await outcomes(page, 1);
    expect(blocked).toMatchObject({ policy: 'cors', kind: 'cors-blocked' });
    expect(requests(refusing)).toEqual(['GET /assets/data.json', 'HEAD /assets/data.json']);
    // Another path of that origin, under the auto rule: straight to the proxy on what the cors rule saw.
    refusing.clear();
    expect(await get(page, `${refusing.origin}/assets/pixel.png`)).toMatchObject({ type: 'basic', status: 200 });
    expect(requests(refusing)).toEqual(['GET /assets/pixel.png']);
    const miss = (await outcomes(page, 2)).find((o) => o.policy === 'auto');
    expect(miss!.detail).toMatch(new RegExp(`^proxy: the origin refuses CORS \\(${refusing.origin}, simple requests, learned \\d+ s ago\\); through /__proxy: proxy 200, upstream 200$`));
  });

  it('answers a no-cors image opaque only without a readable route, and never a cors-mode request', async () => {
    const page = await controlled({ cache: true });
    // No proxyPath: the first image probes in cors mode, fails, and is sent as made (opaque).
    expect(await image(page, `${refusing.origin}/assets/pixel.png?n=1`)).toBe(16);
    expect(requests(refusing)).toEqual(['GET /assets/pixel.png?n=1', 'GET /assets/pixel.png?n=1']);
    // Known to refuse: one request, opaque; again from the cache: none.
    expect(await image(page, `${refusing.origin}/assets/pixel.png?n=2`)).toBe(16);
    expect(requests(refusing)).toHaveLength(3);
    await eventually(() => page.evaluate(async () => ((await (await caches.open('crossroute-auto:rule 0:no-cors')).keys()).length === 2 ? true : undefined)));
    // (a no-cors fetch: a second <img> of one URL may come from the page's own image cache, past the worker)
    expect(await get(page, `${refusing.origin}/assets/pixel.png?n=2`, 'no-cors')).toEqual({ type: 'opaque', status: 0, body: '' });
    expect(requests(refusing)).toHaveLength(3);
    // A cors-mode request to the same origin never gets the opaque entry nor an opaque answer: it fails as without a worker.
    expect((await get(page, `${refusing.origin}/assets/pixel.png?n=2`)).error).toMatch(/TypeError/);
    expect(requests(refusing)).toHaveLength(4);
    // The granting origin's image is readable (cors), and cached as such.
    expect(await image(page, `${granting.origin}/assets/pixel.png?cors=1`)).toBe(16);
    await eventually(() => page.evaluate(async () => ((await (await caches.open('crossroute-auto:rule 0:readable')).keys()).length === 1 ? true : undefined)));

    const [first, second, hit, blocked, readable] = await outcomes(page, 5);
    expect(first).toMatchObject({ kind: 'cache-miss', responseType: 'opaque', mode: 'no-cors' });
    expect(first!.detail).toMatch(/^no-cors: CORS unknown for the origin: this request probes it \(simple requests\); the cors attempt failed \(TypeError: .+\); no proxyPath is set; opaque \(status and body hidden\); stored opaque \(padded in the quota\)$/);
    expect(second!.detail).toMatch(/^no-cors: the origin refuses CORS and no proxyPath is set: opaque is the only route \(.+, simple requests, learned \d+ s ago\); opaque/);
    expect(hit).toMatchObject({ kind: 'cache-hit', responseType: 'opaque' });
    expect(hit!.detail).toMatch(/^opaque entry \(no readable route was found for it\), stored \d+ s ago$/);
    expect(blocked).toMatchObject({ kind: 'cors-blocked', mode: 'cors', responseType: null });
    expect(blocked!.detail).toMatch(/^cors: the origin refuses CORS and no proxyPath is set: sent as asked, it will fail the CORS check/);
    expect(readable).toMatchObject({ kind: 'cache-miss', responseType: 'cors', mode: 'no-cors' });
    expect(readable!.detail).toMatch(/stored readable \(cors 200\)$/);
  });
});
