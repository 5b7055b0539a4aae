import { createServer, type RequestListener, type Server } from 'node:http';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, createServer as createViteServer, type InlineConfig, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../demo/lab/server.js';
import type { StoredOutcome } from '../../src/client/index.js';
import { enginesFromEnv, launch, type BrowserSession, type TestPage } from '../helpers/browser.js';
import { eventually } from '../helpers/stack.js';

/**
 * The README's Vite recipe, for real: test/fixtures/vite-app is built with Vite and vite-plugin-pwa
 * (injectManifest), importing crossroute by its package name as an installed package would (the
 * repository's own package.json `exports`, so `npm run build` must have written dist/). The build is
 * served from http://localhost:PORT, the lab plays the third party on 127.0.0.1, and each engine
 * checks that Workbox's precache and crossroute's rules both work in the one worker, then the same
 * source through Vite's dev server (devOptions, a module worker at /dev-sw.js?dev-sw).
 */

const APP = fileURLToPath(new URL('../fixtures/vite-app/', import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

interface LocalServer {
  origin: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on both loopback addresses under one port, since browsers may resolve "localhost" to either. */
async function serveOnLocalhost(handler: RequestListener, port = 0): Promise<LocalServer> {
  const listen = (host: string, at: number): Promise<Server> =>
    new Promise((done, fail) => {
      const server = createServer(handler);
      server.once('error', fail);
      server.listen(at, host, () => done(server));
    });
  const v4 = await listen('127.0.0.1', port);
  const bound = (v4.address() as { port: number }).port;
  const v6 = await listen('::1', bound).catch(() => undefined);
  const servers = v6 ? [v4, v6] : [v4];
  return {
    origin: `http://localhost:${bound}`,
    port: bound,
    close: () =>
      Promise.all(servers.map((s) => new Promise<void>((done) => { s.closeAllConnections(); s.close(() => done()); }))).then(() => undefined),
  };
}

/** The tiny static server a deployed build sits behind. */
function serveDirectory(root: string): RequestListener {
  return (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const file = resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
    if (!file.startsWith(root + sep)) return void res.writeHead(404).end();
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  };
}

/** Vite sets NODE_ENV itself when it is unset, as in an app; vitest has set it to "test". */
async function withNodeEnv<T>(value: string, run: () => Promise<T>): Promise<T> {
  const saved = process.env.NODE_ENV;
  process.env.NODE_ENV = value;
  try {
    return await run();
  } finally {
    process.env.NODE_ENV = saved;
  }
}

let work: string;
let outDir: string;
let app: LocalServer;
let lab: Lab;
let dev: { vite: ViteDevServer; server: LocalServer } | undefined;
let buildMs = 0;

/** The app's config file as a user runs it; only where things go is the test's. */
const viteConfig = (extra: InlineConfig): InlineConfig => ({
  configFile: join(APP, 'vite.config.ts'),
  root: APP,
  envDir: work,
  // Pre-bundled dependencies of its own, fresh each run as on a first start. Sharing vitest's
  // node_modules/.vite (vitest runs a Vite server in this process too), the dev worker failed to
  // start in 3 of 3 runs.
  cacheDir: join(work, 'vite-cache'),
  logLevel: 'warn',
  ...extra,
});

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'crossroute-vite-'));
  outDir = join(work, 'dist');
  app = await serveOnLocalhost(serveDirectory(outDir));
  lab = await startLab({ appOrigin: app.origin });
  // The third party's origin reaches the worker the way an app configures one: a VITE_ variable in .env.
  await writeFile(join(work, '.env'), `VITE_LAB_ORIGIN=${lab.origin}\n`);
  const started = Date.now();
  await withNodeEnv('production', () => build(viteConfig({ build: { outDir, emptyOutDir: true } })));
  buildMs = Date.now() - started;
}, 120_000);

afterAll(async () => {
  await dev?.vite.close();
  await Promise.all([app?.close(), lab?.close(), dev?.server.close()]);
  if (work) await rm(work, { recursive: true, force: true });
  console.log(`vite recipe: production build (app + worker) in ${buildMs} ms`);
});

// crossroute's `development` files log with this prefix; its production files do not.
const DEV_LOG_PREFIX = '[crossroute]';

it('the build takes crossroute\'s production files through its exports, the dev server the development ones', async () => {
  expect(await readFile(fileURLToPath(new URL('../../dist/sw/index.development.js', import.meta.url)), 'utf8')).toContain(DEV_LOG_PREFIX);
  expect(await readFile(join(outDir, 'sw.js'), 'utf8')).not.toContain(DEV_LOG_PREFIX);
  const server = await startDev();
  const worker = await server.vite.transformRequest('/dev-sw.js?dev-sw');
  expect(worker?.code).toContain('/dist/sw/index.development.js');
});

/** Files the build wrote that injectManifest's globPatterns (js, css, html) cover, the worker itself excepted. */
async function precacheable(): Promise<string[]> {
  const files = (await readdir(outDir, { recursive: true })).map((f) => `/${f.split(sep).join('/')}`);
  return files.filter((f) => /\.(js|css|html)$/.test(f) && f !== '/sw.js').sort();
}

/** Exercises the two rules from the page: a cors read, then the same no-cors image twice (stored, then from the cache). */
async function useThirdParty(page: TestPage): Promise<unknown> {
  return page.evaluate(async (lab) => {
    const cors = await (await fetch(`${lab}/cors`)).json();
    const first = await fetch(`${lab}/assets/pixel.png`, { mode: 'no-cors' });
    // opaque-cache stores after answering: wait until the entry is there.
    const store = await caches.open('third-party-assets:no-cors');
    while (!(await store.match(`${lab}/assets/pixel.png`))) await new Promise((done) => setTimeout(done, 10));
    const second = await fetch(`${lab}/assets/pixel.png`, { mode: 'no-cors' });
    return { cors, types: [first.type, second.type] };
  }, lab.origin);
}

/** The log as the page reads it through crossroute/client, once it holds `count` outcomes, oldest first. */
function logged(page: TestPage, count: number): Promise<Array<Pick<StoredOutcome, 'policy' | 'kind' | 'url'>>> {
  return eventually(async () => {
    const { outcomes } = await page.evaluate(() => window.app.log.query({ order: 'oldest' }));
    return outcomes.length >= count ? outcomes.map(({ policy, kind, url }) => ({ policy, kind, url })) : undefined;
  });
}

/** Vite's dev server for the same app, on localhost beside the build's server; started once for the file. */
async function startDev(): Promise<{ vite: ViteDevServer; server: LocalServer }> {
  dev ??= await withNodeEnv('development', async () => {
    const vite = await createViteServer(viteConfig({ server: { middlewareMode: true, hmr: false, watch: null } }));
    return { vite, server: await serveOnLocalhost(vite.middlewares) };
  });
  return dev;
}

async function controlledApp(browser: BrowserSession, origin: string): Promise<TestPage> {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  // A module script may still be on its way when navigation returns (WebKit's WebDriver, Vite's dev
  // server compiling on request): wait for main.ts to have run.
  await page.evaluate(async () => {
    while (!window.app) await new Promise((resolve) => setTimeout(resolve, 50));
    await window.app.controlled;
  });
  await page.waitForController();
  return page;
}

describe.each(enginesFromEnv())('the Vite + vite-plugin-pwa recipe, in %s', (engine) => {
  let browser: BrowserSession;
  beforeAll(async () => {
    browser = await launch(engine);
  });
  afterAll(() => browser?.close());

  it('the built worker precaches the build and runs crossroute\'s rules, with the app server up and down', async () => {
    const page = await controlledApp(browser, app.origin);
    try {
      const precached = await page.evaluate(async () => {
        const name = (await caches.keys()).find((n) => n.startsWith('workbox-precache'));
        const keys = name ? await (await caches.open(name)).keys() : [];
        return keys.map((request) => new URL(request.url).pathname).sort();
      });
      expect(precached).toEqual(await precacheable());
      expect(precached).toContain('/index.html');

      expect(await useThirdParty(page)).toEqual({ cors: { endpoint: 'cors' }, types: ['opaque', 'opaque'] });
      expect(await logged(page, 3)).toEqual([
        { policy: 'cors', kind: 'ok', url: `${lab.origin}/cors` },
        { policy: 'opaque-cache', kind: 'cache-miss', url: `${lab.origin}/assets/pixel.png` },
        { policy: 'opaque-cache', kind: 'cache-hit', url: `${lab.origin}/assets/pixel.png` },
      ]);

      // The app's origin goes away: the page and its script come from the precache, and the rules still run.
      await app.close();
      try {
        await page.reload();
        await page.evaluate(() => window.app.controlled);
        const script = precached.find((path) => path.endsWith('.js'))!;
        const offline = await page.evaluate(
          async ({ lab, script }) => ({
            script: (await fetch(script)).status,
            cors: await (await fetch(`${lab}/cors`)).json(),
          }),
          { lab: lab.origin, script },
        );
        expect(offline).toEqual({ script: 200, cors: { endpoint: 'cors' } });
        expect((await logged(page, 4))[3]).toEqual({ policy: 'cors', kind: 'ok', url: `${lab.origin}/cors` });
      } finally {
        app = await serveOnLocalhost(serveDirectory(outDir), app.port);
      }
    } finally {
      await page.close();
    }
  });

  it('in dev mode, the page registers /dev-sw.js?dev-sw as a module worker and the rules run', async () => {
    const { server } = await startDev();
    const page = await controlledApp(browser, server.origin);
    try {
      const script = await page.evaluate(() => navigator.serviceWorker.controller!.scriptURL);
      expect(script).toBe(`${server.origin}/dev-sw.js?dev-sw`);
      // The lab grants CORS to the built app's origin only: from the dev origin, cors reports the refusal.
      await page.evaluate((lab) => fetch(`${lab}/cors`).catch(() => undefined), lab.origin);
      await page.evaluate((lab) => fetch(`${lab}/assets/pixel.png`, { mode: 'no-cors' }), lab.origin);
      expect(await logged(page, 2)).toEqual([
        { policy: 'cors', kind: 'cors-blocked', url: `${lab.origin}/cors` },
        { policy: 'opaque-cache', kind: 'cache-miss', url: `${lab.origin}/assets/pixel.png` },
      ]);
    } finally {
      await page.close();
    }
  });
});
