import { createProxyHandler, type ProxyHandler, type ProxyHandlerOptions } from '../core/create-proxy-handler.js';
import type { ProxyOptions } from '../core/proxy-options.js';
import type { GuardOptions } from './guard-options.js';
import { guardedFetch } from './guarded-fetch.js';

/** createWebProxy's options: the proxy's, the address guard's, and who may call. */
export interface WebProxyOptions extends ProxyOptions, GuardOptions {
  /** Who may use the proxy beyond the caller check: false (or a throw) answers 403 `not-authorized`. */
  authorize?: ProxyHandlerOptions['authorize'];
}

export interface WebProxy extends ProxyHandler {
  /** Closes the connections to targets. */
  close(): Promise<void>;
}

/**
 * The web-standard handler on Node, for frameworks built on Request/Response (Hono on
 * @hono/node-server): createProxyHandler with a guardedFetch made from the same options, so the
 * guard, its timeouts and admitLoopbackForTests are given once.
 */
export function createWebProxy(options: WebProxyOptions): WebProxy {
  const { resolve, connect, ...proxyOptions } = options;
  const fetch = guardedFetch({ resolve, connect, admitLoopbackForTests: options.admitLoopbackForTests, timeoutMs: options.timeoutMs });
  const handler = createProxyHandler({ ...proxyOptions, fetch });
  return Object.assign(handler, { close: () => fetch.close() });
}
