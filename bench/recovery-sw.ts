/// <reference lib="webworker" />
import { BackgroundSyncPlugin } from 'workbox-background-sync';
import { registerRoute } from 'workbox-routing';
import { NetworkOnly } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope;

/**
 * The anchor of bench/recovery.ts: Workbox background-sync as its docs set it up for requests that
 * must survive an outage, a NetworkOnly route with BackgroundSyncPlugin. A POST that fails on the
 * network is queued and replayed on the browser's `sync` event (Chromium), or when the worker starts
 * (browsers without Background Sync). The lab's origin comes in the worker's URL.
 */
const lab = new URL(self.location.href).searchParams.get('lab')!;

registerRoute(({ url }) => url.origin === lab && url.pathname === '/beacon', new NetworkOnly({ plugins: [new BackgroundSyncPlugin('recovery-bench')] }), 'POST');
self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
