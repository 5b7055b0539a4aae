import { BEACON_ID_HEADER } from '../../model/outbox-state.js';
import { beaconRuntime } from '../outbox/beacon-runtime.js';
import { beaconEntry } from './beacon/beacon-entry.js';
import { validateBeaconOptions, type BeaconOptions, type ResolvedBeaconOptions } from './beacon/beacon-options.js';
import type { Policy, PolicyFactory } from '../contract/policy.js';

// A 1×1 transparent GIF: an image pixel's <img> gets its load event, not an error. Decoded when
// used: a module-level call would stay in every worker, beacon rules or not.
const PIXEL = 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

/**
 * Fire-and-forget with a durable outbox. The beacon (page fetch, sendBeacon, image pixel) is stored
 * in IndexedDB before the page gets its synthetic answer (204, or a pixel for images), then sent as a
 * CORS simple request and kept until it is delivered or given up. All beacon rules share one outbox.
 */
export const beacon: PolicyFactory<BeaconOptions, ResolvedBeaconOptions> = {
  name: 'beacon',
  validate: validateBeaconOptions,
  create(options, context): Policy {
    const runtime = beaconRuntime(context.sink);
    runtime.restrict(options.outbox);
    return {
      async handle({ request, event, params: { rule, note } }) {
        const { entry, changes } = await beaconEntry(request, options, { index: rule.index, name: rule.name }, Date.now());
        const { logged } = await runtime.queue(entry);
        event?.waitUntil(logged);
        note({ kind: 'queued', detail: `beacon ${entry.id}: queued for ${options.delivery} delivery`, changes });
        event?.waitUntil(runtime.drainer.drain('request'));
        const headers = { [BEACON_ID_HEADER]: entry.id, 'access-control-expose-headers': BEACON_ID_HEADER, 'cache-control': 'no-store' };
        return request.destination === 'image'
          ? new Response(Uint8Array.from(atob(PIXEL), (c) => c.charCodeAt(0)), { status: 200, headers: { ...headers, 'content-type': 'image/gif' } })
          : new Response(null, { status: 204, headers });
      },
    };
  },
};
