/**
 * The "CORS lab": a plain node:http server that plays the third-party origin
 * for the tests and the demo. The app runs on http://localhost:PORT and the
 * lab on http://127.0.0.1:PORT, so every request from the app is cross-origin.
 *
 * Every request (preflights included) is recorded before it is answered,
 * because the seed articles' point is that SOP/CORS hide the *response*, not
 * the request: the log shows what actually reached the server.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIPv4, type AddressInfo, type Socket } from 'node:net';
import { loadAssets } from './assets.js';
import { answerPreflight, grantCors, rejectMethod, sendEmpty, sendJson, sendText } from './respond.js';
import { route, type LabState } from './routes.js';

export interface LabOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The only origin granted CORS, e.g. http://localhost:5173. */
  appOrigin: string;
  /** A loopback IP literal (127.x.x.x or ::1); default 127.0.0.1. */
  host?: string;
}

export interface LabRecord {
  /** Date.now() when the request's body had been fully read. */
  time: number;
  method: string;
  /** pathname + search. */
  path: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** UTF-8 decoded; only the first 1 MiB is kept (the request then gets 413). */
  body: string;
  /** Bytes actually received (may exceed what `body` holds). */
  bodyBytes: number;
}

export interface Lab {
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  /** Stops listening and destroys open sockets (pending /slow included); idempotent. */
  close(): Promise<void>;
  /** Copies of the requests received so far, oldest first (/__log traffic excluded). */
  records(): LabRecord[];
  clear(): void;
  /** Every later answer (but /__log's) waits `ms` first, as an origin that turns slow; 0 to stop. */
  setLatency(ms: number): void;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** NETWORK RULE: the lab only ever binds to loopback. Returns the host as written in a URL. */
function loopbackUrlHost(host: string): string {
  if (isIPv4(host) && host.startsWith('127.')) return host;
  if (host === '::1') return '[::1]';
  throw new RangeError(`lab host must be a loopback IP literal (127.x.x.x or ::1), got "${host}"`);
}

function parseAppOrigin(raw: string): string {
  let origin: string;
  try {
    origin = new URL(raw).origin;
  } catch {
    throw new TypeError(`appOrigin is not a URL: "${raw}"`);
  }
  // Reject paths etc. instead of silently dropping them: ACAO must match the page's origin exactly.
  if (origin === 'null' || (raw !== origin && raw !== `${origin}/`)) {
    throw new TypeError(`appOrigin must be a bare http(s) origin such as http://localhost:5173, got "${raw}"`);
  }
  return origin;
}

/** Reads the whole body, keeping at most MAX_BODY_BYTES. Rejects if the client goes away mid-body. */
async function readBody(req: IncomingMessage): Promise<{ kept: Buffer; bytes: number }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let kept = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (kept < MAX_BODY_BYTES) {
      const part = chunk.subarray(0, MAX_BODY_BYTES - kept);
      chunks.push(part);
      kept += part.length;
    }
  }
  return { kept: Buffer.concat(chunks), bytes };
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/**
 * Parses origin-form ("/path?q") and absolute-form targets; null for anything
 * else (e.g. "*"). Only pathname and search are used, so origin-form gets a
 * placeholder origin (concatenated, so "//x" stays a path, not a host).
 */
function parseTarget(target: string): URL | null {
  try {
    return new URL(target.startsWith('/') ? `http://lab.invalid${target}` : target);
  } catch {
    return null;
  }
}

function isLogPath(pathname: string): boolean {
  return pathname === '/__log' || pathname.startsWith('/__log/');
}

/**
 * /__log is the lab's own inspection API, readable (and clearable) by the app
 * page itself, hence CORS for the app origin, DELETE preflight included.
 */
function serveLog(req: IncomingMessage, res: ServerResponse, pathname: string, log: LabRecord[], appOrigin: string): void {
  if (req.method === 'OPTIONS') return answerPreflight(req, res, appOrigin, { allowHeaders: true });
  grantCors(res, appOrigin);
  if (pathname === '/__log/clear') {
    if (req.method !== 'POST') return rejectMethod(res, ['POST']);
    log.length = 0;
    return sendEmpty(res, 204);
  }
  if (pathname !== '/__log') return sendText(res, 404, `no lab endpoint at ${pathname}`);
  if (req.method === 'DELETE') {
    log.length = 0;
    return sendEmpty(res, 204);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return rejectMethod(res, ['GET', 'HEAD', 'DELETE']);
  sendJson(res, 200, log);
}

export async function startLab(opts: LabOptions): Promise<Lab> {
  const host = opts.host ?? '127.0.0.1';
  const urlHost = loopbackUrlHost(host);
  const state: LabState = {
    appOrigin: parseAppOrigin(opts.appOrigin),
    assets: await loadAssets(),
    deleted: new Set(),
  };
  const log: LabRecord[] = [];
  const sockets = new Set<Socket>();
  let latencyMs = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req).catch(() => null);
    if (body === null) return; // the client went away mid-body; there is no one to answer
    const target = req.url ?? '/';
    const url = parseTarget(target);
    // Tests must always hit the network: no-cache makes the HTTP cache ask again (the lab sends no
    // validators, so it fetches anew), and unlike no-store it lets a service-worker cache store the answer.
    res.setHeader('Cache-Control', 'no-cache');
    if (url && isLogPath(url.pathname)) return serveLog(req, res, url.pathname, log, state.appOrigin);

    const text = body.kept.toString('utf8');
    log.push({
      time: Date.now(),
      method: req.method ?? '',
      path: url ? url.pathname + url.search : target,
      headers: flattenHeaders(req),
      body: text,
      bodyBytes: body.bytes,
    });
    if (!url) return sendText(res, 400, `unsupported request target "${target}"`);
    if (body.bytes > MAX_BODY_BYTES) return sendText(res, 413, `body over ${MAX_BODY_BYTES} bytes`);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (res.destroyed) return;
    route({ req, res, url, body: text }, state);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) res.destroy();
      else sendText(res, 500, `lab error: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  // Tracked so close() can destroy keep-alive and pending (/slow) connections:
  // tests stop the lab to simulate the third-party origin being down.
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: opts.port ?? 0, host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    origin: `http://${urlHost}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
    records: () => log.map((record) => ({ ...record, headers: { ...record.headers } })),
    clear() {
      log.length = 0;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
  };
}
