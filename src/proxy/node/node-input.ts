import type { IncomingMessage } from 'node:http';
import type { ProxyInput } from '../core/proxy-input.js';

/** The proxy's view of a node:http request (or an Express/Connect one, whose url is relative to the mount). */
export function nodeInput(req: IncomingMessage): ProxyInput {
  const url = req.url ?? '/';
  const at = url.indexOf('?');
  const query = at === -1 ? undefined : new URLSearchParams(url.slice(at + 1));
  return {
    method: req.method ?? 'GET',
    target: query?.get('url') ?? null,
    diagnose: query?.has('diagnose') ?? false,
    exchange: query?.get('exchange') ?? null,
    header(name) {
      const value = req.headers[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
    headers() {
      const pairs: Array<[string, string]> = [];
      for (const name in req.headers) {
        const value = req.headers[name];
        if (value !== undefined) pairs.push([name, Array.isArray(value) ? value.join(', ') : value]);
      }
      return pairs;
    },
    body() {
      const length = req.headers['content-length'];
      if (req.headers['transfer-encoding'] === undefined && (length === undefined || Number(length) === 0)) return 'none';
      // A parser (express.json(), Fastify's, @koa/bodyparser) has consumed the stream before the proxy.
      return req.readableDidRead || req.readableEnded ? 'read' : 'unread';
    },
  };
}
