/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { ExpirationPlugin } from 'workbox-expiration';
import { registerRoute, Router } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { MemorySink, opaqueCache, setupCrossroute } from '../src/sw/index.js';
import { answerOutcomeQueries } from '../test/fixtures/outcome-bridge-sw.js';

declare const self: ServiceWorkerGlobalScope;

/**
 * The worker of bench/opaque-cache.ts: the Workbox anchor and crossroute side by side in one worker.
 * Lab URLs with a `workbox` query parameter go to Workbox; every other lab URL to crossroute, on a
 * router of its own whose fetch listener comes after Workbox's (so Workbox sees its URLs first).
 * Both: cache-first, 1000 entries, a day.
 */
const params = new URL(self.location.href).searchParams;
const lab = params.get('lab') ?? '';
const maxBytes = Number(params.get('maxBytes'));

registerRoute(
  ({ url }) => url.origin === lab && url.searchParams.has('workbox'),
  new CacheFirst({
    cacheName: 'workbox-anchor',
    plugins: [
      new CacheableResponsePlugin({ statuses: [0, 200] }),
      new ExpirationPlugin({ maxEntries: 1000, maxAgeSeconds: 86_400, purgeOnQuotaError: true }),
    ],
  }),
);
const sink = new MemorySink(10_000);
const router = new Router();
setupCrossroute({
  rules: [{ match: { origin: lab }, policy: opaqueCache, options: { cacheName: 'crossroute-bench', maxEntries: 1000, maxAgeSeconds: 86_400, maxBytes } }],
  sink,
  router,
});
router.addFetchListener();
answerOutcomeQueries(sink);

self.skipWaiting();
clientsClaim();
