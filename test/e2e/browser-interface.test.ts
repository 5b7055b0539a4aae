/**
 * Smoke test for test/helpers/browser.ts against the real system browsers:
 * a service worker takes control, intercepts a fetch, and does not leak into
 * the next newPage(). Run: npx vitest run test/unit/browser-smoke.test.ts
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enginesFromEnv, launch, type BrowserSession } from '../helpers/browser.js';

const TIMEOUT_MS = 60_000;

const SW_SOURCE = `
self.addEventListener('install', e => self.skipWaiting());
self.addEventListener('activate', e => e.waitUntil(self.clients.claim()));
self.addEventListener('fetch', e => {
  if (new URL(e.request.url).pathname === '/hello') e.respondWith(new Response('from-sw'));
});
`;

const handler: http.RequestListener = (req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/sw.js') {
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(SW_SOURCE);
  } else if (path === '/') {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>smoke</title><p>smoke</p>');
  } else if (path === '/favicon.ico') {
    // Chromium requests it and reports a 404 as a console error, which would land in pageErrors().
    res.writeHead(204).end();
  } else {
    res.writeHead(404).end();
  }
};

/**
 * Serves on http://localhost:PORT using loopback only. `localhost` may be
 * tried as ::1 or as 127.0.0.1 first (Chromium 156 connects to ::1 first,
 * Firefox 153 to 127.0.0.1, each falling back to the other on "refused"), so we
 * listen on BOTH with the same port: then either family reaches this server
 * and never some other process that owns the port on the other family.
 * Not '::' with ipv6Only:false: that also listens on every non-loopback interface.
 */
async function listenLoopback(listener: http.RequestListener): Promise<{ port: number; close(): Promise<void> }> {
  const listen = (server: http.Server, host: string, port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  const closeAll = (servers: http.Server[]) =>
    Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined);

  for (let attempt = 0; attempt < 10; attempt++) {
    const v4 = http.createServer(listener);
    await listen(v4, '127.0.0.1', 0);
    const port = (v4.address() as AddressInfo).port;
    const v6 = http.createServer(listener);
    try {
      await listen(v6, '::1', port);
      return { port, close: () => closeAll([v4, v6]) };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT') {
        return { port, close: () => closeAll([v4]) }; // no IPv6 loopback on this host
      }
      await closeAll([v4]);
      if (code !== 'EADDRINUSE') throw err; // port taken on ::1 only: pick another
    }
  }
  throw new Error('could not find a port free on both 127.0.0.1 and ::1');
}

describe('enginesFromEnv', () => {
  const saved = process.env.BROWSERS;
  afterAll(() => {
    if (saved === undefined) delete process.env.BROWSERS;
    else process.env.BROWSERS = saved;
  });

  it('defaults to all three engines and rejects unknown names', () => {
    delete process.env.BROWSERS;
    expect(enginesFromEnv()).toEqual(['chromium', 'firefox', 'webkit']);
    process.env.BROWSERS = ' firefox ';
    expect(enginesFromEnv()).toEqual(['firefox']);
    process.env.BROWSERS = 'chromium,safari';
    expect(() => enginesFromEnv()).toThrow(/"safari".*chromium, firefox, webkit/);
  });
});

describe('launch', () => {
  it('explains how to install a missing browser', async () => {
    const saved = process.env.CHROME_PATH;
    process.env.CHROME_PATH = '/nonexistent/chromium';
    try {
      await expect(launch('chromium')).rejects.toThrow(/apt-get update && apt-get install -y chromium.*CHROME_PATH/);
    } finally {
      if (saved === undefined) delete process.env.CHROME_PATH;
      else process.env.CHROME_PATH = saved;
    }
  });
});

describe.each(enginesFromEnv())('%s', (engine) => {
  let session: BrowserSession;
  let server: Awaited<ReturnType<typeof listenLoopback>>;
  let origin: string;

  beforeAll(async () => {
    server = await listenLoopback(handler);
    origin = `http://localhost:${server.port}`;
    const started = performance.now();
    session = await launch(engine);
    const ms = Math.round(performance.now() - started);
    console.log(`[browser-smoke] ${engine} ${session.version}: launch ${ms} ms`);
  }, TIMEOUT_MS);

  afterAll(async () => {
    await session?.close();
    await server?.close();
  }, TIMEOUT_MS);

  it('service worker controls the page and answers /hello', async () => {
    const page = await session.newPage();
    try {
      await page.goto(`${origin}/`);
      await page.evaluate(async () => {
        await navigator.serviceWorker.register('/sw.js');
      });
      await page.waitForController();
      expect(await page.evaluate(() => fetch('/hello').then((r) => r.text()))).toBe('from-sw');
      // A reload must stay controlled (the registration is persistent within the context).
      await page.reload();
      expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
      expect(page.pageErrors()).toEqual([]);
    } finally {
      await page.close();
    }
  }, TIMEOUT_MS);

  it('each newPage() starts without the previous page\'s SW, IndexedDB or caches', async () => {
    const first = await session.newPage();
    const second = await session.newPage();
    try {
      await first.goto(`${origin}/`);
      await first.evaluate(async () => {
        await navigator.serviceWorker.register('/sw.js');
        await caches.open('smoke');
        await new Promise<void>((resolve, reject) => {
          const req = indexedDB.open('smoke');
          req.onsuccess = () => (req.result.close(), resolve());
          req.onerror = () => reject(req.error);
        });
      });
      await first.waitForController();

      await second.goto(`${origin}/`);
      const state = await second.evaluate(async () => ({
        controlled: navigator.serviceWorker.controller !== null,
        registrations: (await navigator.serviceWorker.getRegistrations()).length,
        caches: await caches.keys(),
        databases: (await indexedDB.databases()).map((d) => d.name),
      }));
      expect(state).toEqual({ controlled: false, registrations: 0, caches: [], databases: [] });
      await expect(second.waitForController(200)).rejects.toThrow(/no registration/);
    } finally {
      await first.close();
      await second.close();
    }
  }, TIMEOUT_MS);

  it('collects page errors and console errors; takes screenshots', async () => {
    const page = await session.newPage();
    const dir = await mkdtemp(join(tmpdir(), 'browser-smoke-'));
    try {
      await page.goto(`${origin}/`);
      await page.evaluate(() => {
        console.error('smoke-console');
        setTimeout(() => {
          throw new Error('smoke-uncaught');
        });
      });
      await expect.poll(() => page.pageErrors().length).toBeGreaterThanOrEqual(2);
      expect(page.pageErrors()).toEqual(
        expect.arrayContaining(['console.error: smoke-console', 'pageerror: Error: smoke-uncaught']),
      );
      const file = join(dir, 'page.png');
      await page.screenshot(file);
      expect((await readFile(file)).subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await page.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, TIMEOUT_MS);
});
