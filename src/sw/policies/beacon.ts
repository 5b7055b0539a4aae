import { BEACON_ID_HEADER } from '../../model/outbox-state.js';
import { beaconRuntime } from '../outbox/beacon-runtime.js';
import { beaconEntry } from './beacon/beacon-entry.js';
import { validateBeaconOptions, type BeaconOptions, type ResolvedBeaconOptions } from './beacon/beacon-options.js';
import { passthrough } from './passthrough.js';
import type { Policy, PolicyFactory } from '../contract/policy.js';

// A 1×1 transparent GIF: an image pixel's <img> gets its load event, not an error. Decoded when
// used: a module-level call would stay in every worker, beacon rules or not.
const PIXEL = 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

/**
 * A GET or HEAD that is neither an image pixel nor a keepalive request (fetch(), XHR, a script) reads
 * its answer: a config or feature-flag fetch, which a synthetic answer would silently empty. Requests
 * with a body are taken as beacons: a POST that reads its answer (PostHog's /flags) cannot be told
 * apart by its form, so a rule must not match its path (crossroute/recipes keep such paths apart).
 */
function expectsData(request: Request): boolean {
  return (request.method === 'GET' || request.method === 'HEAD') && request.destination !== 'image' && !request.keepalive;
}

/**
 * Fire-and-forget with a durable outbox. The beacon (page fetch, sendBeacon, image pixel) is stored
 * in IndexedDB before the page gets its synthetic answer (the rule's `answer`, 200 JSON by default, or a pixel for images), then sent as a
 * CORS simple request and kept until it is delivered or given up. All beacon rules share one outbox.
 */
export const beacon: PolicyFactory<BeaconOptions, ResolvedBeaconOptions> = {
  name: 'beacon',
  validate: validateBeaconOptions,
  create(options, context): Policy {
    const runtime = beaconRuntime(context.sink);
    runtime.restrict(options.outbox);
    const network = passthrough.create({}, context);
    return {
      async handle(args) {
        const { request, event, params: { rule, note } } = args;
        if (expectsData(request)) {
          note({ detail: `not a beacon: a ${request.method} that reads an answer (a GET or HEAD is queued only as an image pixel or a keepalive request); passed to the network` });
          return network.handle(args);
        }
        const { entry, changes } = await beaconEntry(request, options, { index: rule.index, name: rule.name }, Date.now());
        const { logged } = await runtime.queue(entry);
        event?.waitUntil(logged);
        note({ kind: 'queued', detail: `beacon ${entry.id}: queued for ${options.delivery} delivery`, changes, beaconId: entry.id });
        event?.waitUntil(runtime.drainer.drain('request'));
        const headers = { [BEACON_ID_HEADER]: entry.id, 'access-control-expose-headers': BEACON_ID_HEADER, 'cache-control': 'no-store' };
        if (request.destination === 'image') return new Response(Uint8Array.from(atob(PIXEL), (c) => c.charCodeAt(0)), { status: 200, headers: { ...headers, 'content-type': 'image/gif' } });
        const { status, body } = options.answer;
        return new Response(body === '' ? null : body, { status, headers: { ...options.answer.headers, ...headers } });
      },
    };
  },
};
