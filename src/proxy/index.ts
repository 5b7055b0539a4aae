// crossroute/proxy: the proxy on web-standard Request/Response only (tested on Node 20 and workerd).
export { createProxyHandler, type ProxyHandler, type ProxyHandlerOptions } from './core/create-proxy-handler.js';
export type { FetchFunction } from './core/fetch-send.js';
export type { ProxyOptions, TargetRule, ProxyLogEntry } from './core/proxy-options.js';
export { ProxyConfigError } from './core/proxy-config-error.js';
export { ProxyFailure, type ProxyErrorCode } from './core/proxy-failure.js';
export { addressRefusal } from './core/address-refusal.js';
