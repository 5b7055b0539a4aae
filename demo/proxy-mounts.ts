import type { IncomingMessage, ServerResponse } from 'node:http';
import { createNodeProxy, type NodeProxy, type NodeProxyOptions } from '../src/proxy/node.js';

/** crossroute proxies by mount path; each gets the app's origin when it is created. */
export type ProxyMounts = Record<string, (appOrigin: string) => NodeProxyOptions>;

export interface MountedProxies {
  /** Answers the request and returns true if its path is a mount. */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
  close(): Promise<void>;
}

/**
 * The proxies an app server mounts, each created at its first request: by then the app's origin
 * and the lab's (which the options usually name) are both known.
 */
export function mountProxies(mounts: ProxyMounts, appOrigin: () => string): MountedProxies {
  const created = new Map<string, NodeProxy>();
  return {
    serve(req, res) {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const options = mounts[path];
      if (!options) return false;
      let proxy = created.get(path);
      if (!proxy) {
        try {
          proxy = createNodeProxy(options(appOrigin()));
        } catch (error) {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`the proxy at ${path} is misconfigured: ${error instanceof Error ? error.message : String(error)}`);
          return true;
        }
        created.set(path, proxy);
      }
      proxy(req, res);
      return true;
    },
    async close() {
      await Promise.all([...created.values()].map((proxy) => proxy.close()));
    },
  };
}
