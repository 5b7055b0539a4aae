import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One request the collector received. */
export interface Collected {
  time: number;
  method: string;
  /** pathname + search */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface Collector {
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  received(): Collected[];
  /** Stops listening and cuts open connections: the collector is down. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

/**
 * An analytics collector on loopback that sends no CORS headers, as the SDK tests need: it records
 * every request and answers 200 with `reads[pathname]` as JSON, or `{}`.
 */
export async function startCollector(reads: Record<string, unknown> = {}): Promise<Collector> {
  const log: Collected[] = [];
  const sockets = new Set<Socket>();
  let port = 0;
  let server: Server | undefined;
  const listen = async (): Promise<void> => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '/';
        log.push({ time: Date.now(), method: req.method ?? '', path, headers: req.headers, body: Buffer.concat(chunks) });
        const answer = reads[new URL(path, 'http://x').pathname] ?? {};
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  };
  await listen();
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    received: () => [...log],
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server?.close(resolve));
    },
    start: listen,
  };
}

/** A body as text, gunzipped when it is gzip (by its magic bytes: the SDKs mark it in different ways). */
export function bodyText(body: Buffer): string {
  return body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body).toString('utf8') : body.toString('utf8');
}
