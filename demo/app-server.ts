import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** URL path → file; the app origin serves the demo, the test page and the built workers. */
const FILES: Record<string, string> = {
  '/': 'demo/app/index.html',
  '/test.html': 'test/fixtures/test.html',
  '/sw.js': 'build/app/sw.js',
  '/page.js': 'build/app/page.js',
  '/test-sw.js': 'build/app/test-sw.js',
  '/test-page.js': 'build/app/test-page.js',
};
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

export interface AppServer {
  /** http://localhost:PORT — a different origin from the lab's http://127.0.0.1:PORT. */
  origin: string;
  port: number;
  close(): Promise<void>;
}

export interface AppServerOptions {
  port?: number;
  /** Served as /config.json, read by the demo page (the lab's origin is only known at start). */
  config?: () => unknown;
}

/**
 * The app's own origin. It listens on both loopback addresses because browsers may resolve
 * "localhost" to ::1 or to 127.0.0.1.
 */
export async function startAppServer(options: AppServerOptions = {}): Promise<AppServer> {
  const handler = (req: IncomingMessage, res: ServerResponse): void => void serve(req, res, options);
  const v4 = await listen(createServer(handler), options.port ?? 0, '127.0.0.1');
  const port = (v4.address() as { port: number }).port;
  const v6 = await listen(createServer(handler), port, '::1').catch(() => undefined);
  const servers = v6 ? [v4, v6] : [v4];
  return {
    origin: `http://localhost:${port}`,
    port,
    close: () =>
      Promise.all(servers.map((s) => new Promise<void>((resolve) => { s.closeAllConnections(); s.close(() => resolve()); }))).then(() => undefined),
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
  if (pathname === '/same-origin/data.json') {
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
