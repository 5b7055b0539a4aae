// Size anchor: Workbox doing the jobs of the six policies with its own modules (routing,
// strategies, background-sync, expiration, cacheable-response).
import { BackgroundSyncPlugin } from 'workbox-background-sync';
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { ExpirationPlugin } from 'workbox-expiration';
import { registerRoute } from 'workbox-routing';
import { NetworkOnly, StaleWhileRevalidate } from 'workbox-strategies';

registerRoute(({ url, request }) => url.origin === 'https://cdn.example' && request.destination === 'image', new NetworkOnly());
registerRoute(({ url }) => url.origin === 'https://api.example', new NetworkOnly({ fetchOptions: { mode: 'cors' } }));
registerRoute(({ url }) => url.origin === 'https://old.example', async () => new Response('retired', { status: 410 }));
registerRoute(
  ({ url }) => url.origin === 'https://fonts.example',
  new StaleWhileRevalidate({
    cacheName: 'fonts',
    plugins: [new CacheableResponsePlugin({ statuses: [0, 200] }), new ExpirationPlugin({ maxEntries: 100, maxAgeSeconds: 86_400 })],
  }),
);
registerRoute(
  ({ url }) => url.origin === 'https://collect.example',
  new NetworkOnly({ plugins: [new BackgroundSyncPlugin('beacons', { maxRetentionTime: 24 * 60 })] }),
  'POST',
);
registerRoute(
  ({ url }) => url.origin === 'https://partner.example',
  async ({ request }) => fetch(`/__proxy?url=${encodeURIComponent(request.url)}`),
);
