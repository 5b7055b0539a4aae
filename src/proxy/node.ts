// crossroute/proxy/node: the proxy for node:http, Express, Connect, Koa, Fastify, the web handler for Hono on Node, and the address guard.
export { createNodeProxy, type NodeProxy, type NodeProxyOptions } from './node/create-node-proxy.js';
export { createWebProxy, type WebProxy, type WebProxyOptions } from './node/create-web-proxy.js';
export { guardedFetch, type GuardedFetch, type GuardedFetchOptions } from './node/guarded-fetch.js';
export type { GuardOptions } from './node/guard-options.js';
export type { Connector } from './node/guarded-connector.js';
export { systemResolver, type Resolver } from './node/system-resolver.js';
export type { ProxyOptions, TargetRule, ProxyLogEntry } from './core/proxy-options.js';
export { ProxyConfigError } from './core/proxy-config-error.js';
export { ProxyFailure, type ProxyErrorCode } from './core/proxy-failure.js';
