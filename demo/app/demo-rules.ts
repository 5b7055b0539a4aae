import { beacon, block, cors, opaqueCache, passthrough, proxy, type Rule } from '../../src/sw/index.js';

/**
 * The demo's rules for the lab at `lab` (its port is only known at start). One rule per seed
 * scenario group, so the page shows every policy at work.
 */
export function demoRules(lab: string): Rule[] {
  return [
    // diagnose: a refusal's outcome says which CORS check failed and the fix, as the app's proxy at /__proxy finds it.
    { name: 'read lab JSON in cors mode', match: { origin: lab, path: ['/cors', '/cors-redirect', '/no-cors', '/no-cors-redirect'] }, policy: cors, options: { diagnose: true } },
    { name: 'preflighted lab endpoints', match: { origin: lab, path: ['/preflight', '/preflight-405', '/preflight-401', '/missing-allow-headers'] }, policy: cors, options: { diagnose: true } },
    { name: 'never let this page delete posts', match: { origin: lab, path: '/delete-post', method: 'POST' }, policy: block, options: { reason: 'state-changing form POSTs to the lab are not allowed from the demo' } },
    { name: 'read lab JSON without CORS through the app\'s proxy', match: { origin: lab, path: '/assets/data.json', method: 'GET' }, policy: proxy },
    { name: 'analytics beacons, delivered from the outbox', match: { origin: lab, path: '/beacon', method: 'POST' }, policy: beacon, options: { idParam: 'bid' } },
    { name: 'lab images, cached for offline use', match: { origin: lab, path: '/assets/*.png' }, policy: opaqueCache, options: { maxEntries: 50 } },
    { name: 'lab assets and statuses, logged', match: { origin: lab, path: ['/assets/*', '/status/*', '/slow'] }, policy: passthrough },
  ];
}
