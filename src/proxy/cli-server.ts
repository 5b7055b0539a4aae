import { createServer, type RequestListener, type Server } from 'node:http';

/**
 * The CLI's HTTP server. Node's defaults let a client hold a connection 60 s with slow headers and
 * 300 s per request, with no cap on connections: a standalone proxy faces any client, so it gets less.
 */
export function cliServer(listener: RequestListener): Server {
  const server = createServer(listener);
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.maxConnections = 1024;
  return server;
}
