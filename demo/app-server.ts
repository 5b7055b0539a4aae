import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mountProxies, type ProxyMounts } from './proxy-mounts.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** URL path → file; the app origin serves the demo, the test page and the built workers. */
const FILES: Record<string, string> = {
  '/': 'demo/app/index.html',
  '/test.html': 'test/fixtures/test.html',
  '/sw.js': 'build/app/sw.js',
  '/page.js': 'build/app/page.js',
  '/test-sw.js': 'build/app/test-sw.js',
  '/test-page.js': 'build/app/test-page.js',
  '/sdk.html': 'test/fixtures/sdk.html',
  '/sdk-page.js': 'build/app/sdk-page.js',
  '/bench/log-writer.html': 'bench/fixtures/log-writer.html',
  '/log-writer-page.js': 'build/app/log-writer-page.js',
  '/assets.html': 'test/fixtures/assets.html',
  '/assets-page.js': 'build/app/assets-page.js',
  '/bench-opaque-cache-sw.js': 'build/app/bench-opaque-cache-sw.js',
  '/bench-beacon-sw.js': 'build/app/bench-beacon-sw.js',
  '/bench-recovery-sw.js': 'build/app/bench-recovery-sw.js',
  '/bench/tiles.html': 'bench/fixtures/tiles.html',
  '/bench-tiles-sw.js': 'build/app/bench-tiles-sw.js',
  '/leaflet.js': 'node_modules/leaflet/dist/leaflet.js',
  '/leaflet.css': 'node_modules/leaflet/dist/leaflet.css',
};
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

export interface AppServer {
  /** http://localhost:PORT — a different origin from the lab's http://127.0.0.1:PORT. */
  origin: string;
  port: number;
  /** The latest 1,000 requests that reached the app's origin, oldest first: `GET /path?query` (proxy mounts included). */
  requests(): string[];
  close(): Promise<void>;
}

export interface AppServerOptions {
  port?: number;
  /** Served as /config.json, read by the demo page (the lab's origin is only known at start). */
  config?: () => unknown;
  /**
   * crossroute proxies to mount on the app's origin, by path (e.g. "/__proxy"). Their options are
   * code, not request input: `admitLoopbackForTests` (to reach the lab on 127.0.0.1) is set here only.
   */
  proxies?: ProxyMounts;
}

/**
 * The app's own origin. It listens on both loopback addresses because browsers may resolve
 * "localhost" to ::1 or to 127.0.0.1.
 */
export async function startAppServer(options: AppServerOptions = {}): Promise<AppServer> {
  let origin = '';
  const proxies = mountProxies(options.proxies ?? {}, () => origin);
  const requests: string[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    if (requests.push(`${req.method} ${req.url}`) > 1000) requests.shift();
    if (!proxies.serve(req, res)) void serve(req, res, options);
  };
  const v4 = await listen(createServer(handler), options.port ?? 0, '127.0.0.1');
  const port = (v4.address() as { port: number }).port;
  const v6 = await listen(createServer(handler), port, '::1').catch(() => undefined);
  const servers = v6 ? [v4, v6] : [v4];
  origin = `http://localhost:${port}`;
  return {
    origin,
    port,
    requests: () => [...requests],
    close: () =>
      Promise.all([...servers.map((s) => new Promise<void>((resolve) => { s.closeAllConnections(); s.close(() => resolve()); })), proxies.close()]).then(() => undefined),
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, options: AppServerOptions): Promise<void> {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  // Workers and pages must never come from the HTTP cache: each test registers a fresh config.
  res.setHeader('cache-control', 'no-store');
  if (pathname === '/config.json') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(options.config?.() ?? {}));
    return;
  }
  // A same-origin redirect: a navigation must never be answered with a cached redirected response.
  if (pathname === '/same-origin/redirect') {
    res.writeHead(302, { location: '/same-origin/data.json' }).end();
    return;
  }
  if (pathname === '/same-origin/data.json') {
    // A cacheable answer (the worker's cache refuses no-store); no-cache still keeps it out of the HTTP cache.
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ endpoint: 'same-origin' }));
    return;
  }
  const file = FILES[pathname];
  if (!file) {
    res.statusCode = 404;
    res.end('not found');
    return;
  }
  try {
    const body = await readFile(join(root, file));
    res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
    res.end(body);
  } catch {
    res.statusCode = 500;
    res.end(`${file} is missing: run "npm run build" first`);
  }
}

function listen(server: Server, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
