// Size anchor: the least a Workbox worker can be, one route with NetworkOnly.
import { registerRoute } from 'workbox-routing';
import { NetworkOnly } from 'workbox-strategies';

registerRoute(({ url }) => url.origin === 'https://cdn.example', new NetworkOnly());
