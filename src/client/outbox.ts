import { OUTBOX_MESSAGE, type DeliveryReport, type OutboxState } from '../model/outbox-state.js';
import { askWorker } from './ask-worker.js';

const askOutbox = <T>(message: Record<string, unknown>, timeoutSeconds: number): Promise<T | null> => askWorker<T>(message, timeoutSeconds, 'its outbox');

/** The outbox as the worker sees it; null when no worker answers (none registered, or it has no beacon rule). */
export async function outboxState(timeoutSeconds = 2): Promise<OutboxState | null> {
  return (await askOutbox<{ state: OutboxState }>({ type: OUTBOX_MESSAGE.state }, timeoutSeconds))?.state ?? null;
}

/**
 * Removes the beacons waiting in the outbox, all or those to one origin (`https://collect.example`),
 * as at logout: a beacon is sent with the cookies present when it is delivered, not those of the
 * user who caused it. Each is logged as dropped. Resolves with how many were removed; null when no
 * worker answered. A beacon being sent at that moment may still arrive.
 */
export async function clearOutbox(origin?: string, timeoutSeconds = 5): Promise<number | null> {
  const message = { type: OUTBOX_MESSAGE.clear, ...(origin !== undefined && { origin: new URL(origin).origin }) };
  return (await askOutbox<{ cleared: number }>(message, timeoutSeconds))?.cleared ?? null;
}

/**
 * Asks the worker to send what its outbox holds now, probing unreachable origins at once (their
 * backoff is for the worker's own timer), and resolves with what that drain did; null when no
 * worker answered within `timeoutSeconds`.
 */
export function deliverNow(timeoutSeconds = 30): Promise<DeliveryReport | null> {
  return askToDeliver('page', timeoutSeconds);
}

function askToDeliver(trigger: 'online' | 'page', timeoutSeconds = 30): Promise<DeliveryReport | null> {
  return askOutbox<DeliveryReport>({ type: OUTBOX_MESSAGE.deliver, trigger }, timeoutSeconds);
}

/** Options of relayOnline(). */
export interface RelayOptions {
  /**
   * While beacons wait for an unreachable origin, the page asks for a drain after 1 s, then at
   * doubling intervals up to this cap (seconds), until they are delivered. Default 3; false: never.
   */
  probeMaxSeconds?: number | false;
}

const FIRST_PROBE_MS = 1000;
let relaying = false;

/**
 * Relays what the worker cannot see for itself, so the outbox is delivered soon after the network
 * or an origin comes back: the `online` event (a worker gets none), the page becoming visible again,
 * and, while the worker says beacons wait (or they already did when the page opened), a capped
 * probe cadence (a stopped idle worker has no timer left). beacon() turns it on; call it at start if analytics code sends beacons itself. The
 * first call's options apply.
 */
export function relayOnline(options: RelayOptions = {}): void {
  const container = navigator.serviceWorker;
  if (relaying || !container) return;
  relaying = true;
  const cap = options.probeMaxSeconds === false ? false : (options.probeMaxSeconds ?? 3) * 1000;
  let waiting = false;
  let delay = FIRST_PROBE_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const probe = async (): Promise<void> => {
    timer = undefined;
    const report = await deliverNow().catch(() => null);
    waiting = report !== null && report.unreachable.length > 0;
    if (waiting && cap !== false) {
      delay = Math.min(cap, delay * 2);
      timer ??= setTimeout(() => void probe(), delay);
    }
  };
  addEventListener('online', () => void askToDeliver('online').catch(() => null));
  document.addEventListener('visibilitychange', () => {
    if (waiting && document.visibilityState === 'visible') void deliverNow();
  });
  const startProbing = (): void => {
    if (waiting) return;
    waiting = true;
    delay = FIRST_PROBE_MS;
    if (cap !== false) timer ??= setTimeout(() => void probe(), Math.min(cap, delay));
  };
  container.addEventListener('message', (event: MessageEvent<{ type?: unknown } | null>) => {
    if (event.data?.type === OUTBOX_MESSAGE.waiting) startProbing();
  });
  // Messages from the worker are held back until the page says it listens.
  container.startMessages();
  // Beacons may have been waiting before this page opened (the worker told no one then).
  void outboxState().then(
    (state) => state && state.unreachable.length > 0 && state.entries > 0 && startProbing(),
    () => undefined,
  );
}
