import type { ProxyConfig } from './proxy-config.js';
import { ProxyFailure, quote } from './proxy-failure.js';
import type { ProxyInput } from './proxy-input.js';

/**
 * Destinations that would run the target's bytes with the app origin's authority (a document, a
 * frame, a worker): the proxy serves data and subresources, never those.
 */
const ACTIVE_DESTINATIONS = new Set(['document', 'iframe', 'frame', 'fencedframe', 'embed', 'object', 'worker', 'sharedworker', 'serviceworker']);

/**
 * Who may use the proxy: a page on the proxy's own origin (`Sec-Fetch-Site: same-origin`, which
 * pages cannot forge) or a page whose `Origin` is in `appOrigins`. Returns the origin to grant
 * CORS to, or null for a same-origin caller (which needs no CORS headers).
 */
export function checkCaller(config: ProxyConfig, input: ProxyInput): string | null {
  const destination = input.header('sec-fetch-dest');
  if (input.header('sec-fetch-mode') === 'navigate' || (destination !== null && ACTIVE_DESTINATIONS.has(destination))) {
    throw new ProxyFailure(
      'destination-not-allowed',
      403,
      `the request is for a ${destination ?? 'navigation'}; the proxy never serves a target as the app's document or worker (it would run with the app's origin). Fetch the data, or link to the target itself.`,
    );
  }
  const origin = input.header('origin');
  if (origin !== null && config.appOrigins.has(origin)) return origin;
  const site = input.header('sec-fetch-site');
  if (site === 'same-origin') return null;
  throw new ProxyFailure(
    'origin-not-allowed',
    403,
    `the caller ${origin === null ? 'sent no Origin' : `is ${quote(origin)}`}${site === null ? ' and no Sec-Fetch-Site' : ` (Sec-Fetch-Site: ${site})`}; the proxy serves same-origin pages and options.appOrigins only. Add the page's origin to appOrigins.`,
  );
}
