/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { ExpirationPlugin } from 'workbox-expiration';
import { registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { auto, MemorySink, opaqueCache, setupCrossroute, type Rule } from '../src/sw/index.js';
import { answerOutcomeQueries } from '../test/fixtures/outcome-bridge-sw.js';

declare const self: ServiceWorkerGlobalScope;

/**
 * The worker of bench/tiles.ts: one system per registration (`?system=`), caching the tile
 * server's answers (`?tiles=` its origin). crossroute/proxy is mounted at /__proxy on the app.
 */
const params = new URL(self.location.href).searchParams;
const tiles = params.get('tiles') ?? '';
const system = params.get('system');
const match = { origin: tiles };

const rules: Record<string, Rule> = {
  'opaque-cache': { match, policy: opaqueCache, options: { cacheName: 'tiles', maxEntries: 1000 } },
  'opaque-cache-proxy': { match, policy: opaqueCache, options: { cacheName: 'tiles', maxEntries: 1000, corsFallback: 'proxy' } },
  auto: { match, policy: auto, options: { proxyPath: '/__proxy', cache: true, cacheName: 'tiles', maxEntries: 1000 } },
};
if (system === 'workbox') {
  registerRoute(
    ({ url }) => url.origin === tiles,
    new CacheFirst({
      cacheName: 'tiles',
      plugins: [new CacheableResponsePlugin({ statuses: [0, 200] }), new ExpirationPlugin({ maxEntries: 1000, maxAgeSeconds: 86_400, purgeOnQuotaError: true })],
    }),
  );
} else {
  const sink = new MemorySink(10_000);
  setupCrossroute({ rules: [rules[system ?? '']!], sink });
  answerOutcomeQueries(sink);
}
self.skipWaiting();
clientsClaim();
