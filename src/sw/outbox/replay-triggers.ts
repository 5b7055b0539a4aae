import { OUTBOX_MESSAGE } from '../../model/outbox-state.js';
import { logger } from '../logger.js';
import type { Drainer } from './drainer.js';
import type { Outbox } from './outbox.js';
import type { OutboxLimits } from './outbox-entry.js';

declare const self: ServiceWorkerGlobalScope;

const SYNC_TAG = 'crossroute-outbox';

/** Background Sync, where the browser has it (Chromium); not in TypeScript's worker lib. */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
  readonly lastChance: boolean;
}
interface SyncRegistration {
  sync?: { register(tag: string): Promise<void> };
}

let syncFiring = false;

/**
 * Asks the browser for a `sync` event when it thinks the network is back (Chromium; elsewhere the
 * other triggers cover it). Not while a sync event is being handled: Chromium fires a tag registered
 * again during its event once more right after it, which would poll the origin without pause; a
 * failed sync event is retried by the browser anyway.
 */
export function requestBackgroundSync(): void {
  if (syncFiring) return;
  const sync = (self.registration as ServiceWorkerRegistration & SyncRegistration).sync;
  sync?.register(SYNC_TAG).catch((error: unknown) => {
    if (process.env.NODE_ENV !== 'production') logger.warn('Background Sync registration failed; the outbox relies on its other triggers', error);
  });
}

/**
 * Tells the pages this worker controls that beacons wait for an unreachable origin: a page that
 * relays (crossroute/client relayOnline) then asks for a drain every few seconds while they wait, so
 * the origin's return is noticed within seconds even when the worker's own backoff is long, or the
 * browser stopped the idle worker and its timer with it.
 */
export async function tellPagesBeaconsWait(): Promise<void> {
  for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage({ type: OUTBOX_MESSAGE.waiting });
}

/** What the triggers act on: the beacon runtime, seen through what they use of it. */
export interface ReplayTarget {
  drainer: Drainer;
  outbox: Outbox;
  limits: OutboxLimits;
  /** Removes waiting beacons (all, or one origin's) and logs each; resolves with how many. */
  clear(origin?: string): Promise<number>;
}

/**
 * Registers, during the worker's first evaluation, everything that starts a drain besides an
 * intercepted beacon: worker start, activate, Background Sync, and the page's messages (deliver
 * now: online, visible, its probes, deliverNow(); and state queries). The timer is the drainer's own.
 */
export function listenForReplayTriggers(runtime: ReplayTarget): void {
  const { drainer, outbox } = runtime;
  self.addEventListener('activate', (event) => event.waitUntil(drainer.drain('activate')));
  self.addEventListener('sync', (event) => {
    const sync = event as SyncEvent;
    if (sync.tag !== SYNC_TAG) return;
    syncFiring = true;
    // Rejecting tells the browser to fire the event again later (with its own backoff).
    sync.waitUntil(
      drainer
        .drain('sync')
        .then((report) => {
          const failed = report.error ?? (report.unreachable.length > 0 ? `unreachable: ${report.unreachable.join(', ')}` : undefined);
          if (failed !== undefined && !sync.lastChance) throw new Error(failed);
        })
        .finally(() => (syncFiring = false)),
    );
  });
  self.addEventListener('message', (event) => {
    const data = event.data as { type?: unknown; trigger?: unknown; origin?: unknown } | null;
    const type = data?.type;
    if (type === OUTBOX_MESSAGE.deliver) {
      const port = event.ports[0];
      event.waitUntil(drainer.drain(data?.trigger === 'online' ? 'online' : 'page').then((report) => port?.postMessage(report)));
    }
    if (type === OUTBOX_MESSAGE.clear) {
      const port = event.ports[0];
      const origin = typeof data?.origin === 'string' ? data.origin : undefined;
      event.waitUntil(
        runtime.clear(origin).then(
          (cleared) => port?.postMessage({ cleared }),
          (error: unknown) => port?.postMessage({ error: String(error) }),
        ),
      );
    }
    if (type === OUTBOX_MESSAGE.state) {
      const port = event.ports[0];
      event.waitUntil(
        outbox.state(runtime.limits).then(
          (state) => port?.postMessage({ state: { ...state, draining: drainer.busy } }),
          (error: unknown) => port?.postMessage({ error: String(error) }),
        ),
      );
    }
  });
  // After the whole setup has run, so every beacon rule has added its settings.
  setTimeout(() => void drainer.drain('start'), 0);
}
