import { BEACON_ID_HEADER, KEEPALIVE_BUDGET } from '../model/outbox-state.js';
import { relayOnline } from './outbox.js';

/** A beacon's payload; a plain object or array is sent as JSON text. */
export type BeaconData = string | Blob | BufferSource | URLSearchParams | FormData | Record<string, unknown> | unknown[];

/** Options of beacon(). */
export interface BeaconOptions {
  /**
   * "fetch": a fetch() the worker answers, so the result says whether a beacon rule stored it, and
   * its id. "send-beacon": navigator.sendBeacon, which outlives the page; both engines route it
   * through the worker, but its result says nothing about it (and Firefox does not route a
   * keepalive fetch through the worker, so that is no option). "auto" (default): fetch while the
   * page is visible, sendBeacon once it is hidden (pagehide, tab switch), when unloading may follow.
   * "fetch-later": for data that must survive the page, handed to `fetchLater()` (Chromium 135+)
   * before beacon() awaits anything: the browser sends it once, when the page is left (closed,
   * navigated away, put in the back/forward cache; pagehide need not run) or after
   * `activateAfterSeconds`. It goes past the service worker (Chromium 156: no rule sees it, no
   * outbox keeps it). Where fetchLater is missing or refuses it (its quota), sendBeacon sends it now.
   */
  transport?: 'auto' | 'fetch' | 'send-beacon' | 'fetch-later';
  /** With "fetch-later": send it at the latest this many seconds after the call, even if the page stays. Default: only when the page is left. */
  activateAfterSeconds?: number;
}

/** window.fetchLater (Chromium 135+), which TypeScript's DOM types do not have yet. */
type FetchLater = (url: string, init: RequestInit & { activateAfter?: number }) => unknown;

/** How beacon() sent the data. */
export interface BeaconResult {
  /**
   * "outbox": a beacon rule stored it in the worker's outbox (`id` is the beacon's id);
   * "network": a controlled fetch that no beacon rule took: it went out once, as a simple request
   * (whose answer CORS may hide), with no retry;
   * "send-beacon": handed to navigator.sendBeacon (in a controlled page the worker's rules see it);
   * "fetch-keepalive": sendBeacon refused it (quota), so a no-cors keepalive fetch sent it once;
   * "fetch-later": handed to fetchLater(), which sends it once the page is left.
   */
  via: 'outbox' | 'network' | 'send-beacon' | 'fetch-keepalive' | 'fetch-later';
  /** The beacon's id in the outbox, when `via` is "outbox". */
  id?: string;
}

// '' is a Blob without a type: sent without Content-Type, which is as simple.
const SIMPLE_TYPES = ['', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * Sends a beacon that no endpoint can turn into a preflight: the body always has a CORS-safelisted
 * type (JSON goes as text/plain), so a non-CORS endpoint still gets the data. When the page is
 * controlled, the worker's beacon rule stores it and delivers it, surviving outages and restarts;
 * otherwise sendBeacon (or a keepalive fetch) sends it once. Delivery is at-least-once.
 */
export async function beacon(url: string | URL, data?: BeaconData, options: BeaconOptions = {}): Promise<BeaconResult> {
  relayOnline();
  const body = simpleBody(data);
  const href = String(url);
  const transport = options.transport ?? 'auto';
  const seconds = options.activateAfterSeconds;
  if (seconds !== undefined && !(seconds >= 0 && seconds < Infinity)) throw new RangeError(`crossroute beacon: activateAfterSeconds must be a number of seconds, 0 or more (got ${seconds})`);
  const later = (globalThis as { fetchLater?: FetchLater }).fetchLater;
  if (transport === 'fetch-later' && later) {
    try {
      // Synchronously, before any await: a page that navigates away right after the call still hands it over.
      later(href, { method: 'POST', body: body ?? null, credentials: 'include', activateAfter: seconds === undefined ? undefined : seconds * 1000 });
      return { via: 'fetch-later' };
    } catch {
      // fetchLater refused it (over its quota, or a URL it does not defer): sendBeacon below, which checks the size itself.
    }
  }
  // What the browser will send (FormData's multipart framing included).
  const size = body === undefined ? 0 : (await new Response(body).blob()).size;
  if (size > KEEPALIVE_BUDGET) throw new RangeError(`crossroute beacon: the body is ${size} bytes, over the 64 KiB a beacon may carry; send less per beacon`);
  const viaFetch = transport === 'fetch' || (transport === 'auto' && document.visibilityState === 'visible');
  if (navigator.serviceWorker?.controller && viaFetch) {
    // cors mode: the worker's synthetic answer is readable (no CORS check applies to it). Without a
    // beacon rule, a CORS refusal (the beacon arrived) and an outage look alike; sending it again
    // would duplicate it at every endpoint without CORS, so it is not.
    const response = await fetch(href, { method: 'POST', body, mode: 'cors', credentials: 'include' }).catch(() => null);
    const id = response?.headers.get(BEACON_ID_HEADER);
    return id ? { via: 'outbox', id } : { via: 'network' };
  }
  if (typeof navigator.sendBeacon === 'function' && navigator.sendBeacon(href, body)) return { via: 'send-beacon' };
  await fetch(href, { method: 'POST', body, mode: 'no-cors', credentials: 'include', keepalive: true });
  return { via: 'fetch-keepalive' };
}

function simpleBody(data: BeaconData | undefined): BodyInit | undefined {
  if (data === undefined || typeof data === 'string' || data instanceof URLSearchParams || data instanceof FormData) return data;
  if (data instanceof Blob) return SIMPLE_TYPES.includes(data.type.split(';')[0]!.trim().toLowerCase()) ? data : new Blob([data], { type: 'text/plain;charset=UTF-8' });
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data;
  return JSON.stringify(data);
}
