/// <reference lib="webworker" />
import { Queue } from 'workbox-background-sync';
import { MemorySink } from '../src/sw/outcome/memory-sink.js';
import { BeaconRuntime } from '../src/sw/outbox/beacon-runtime.js';
import { beaconEntry } from '../src/sw/policies/beacon/beacon-entry.js';
import { validateBeaconOptions } from '../src/sw/policies/beacon/beacon-options.js';

declare const self: ServiceWorkerGlobalScope;

/**
 * The worker of bench/beacon.ts: crossroute's outbox (the production runtime, as the beacon policy
 * builds it) and Workbox's background-sync Queue side by side, each filled and drained on request.
 * "fetch-only" stores nothing: the same requests, 6 at a time, as fast as the network takes them.
 */
type System = 'crossroute' | 'crossroute-batched' | 'workbox' | 'fetch-only';
interface Fill {
  type: 'fill';
  system: System;
  count: number;
  /** The lab's /beacon; every beacon gets its id in ?bid= so the lab's log proves each arrived. */
  url: string;
}
interface Drain {
  type: 'drain';
  system: System;
}

// The anchor's sync events would replay the queue on their own; here it is replayed on request.
const queue = new Queue('crossroute-bench', { onSync: async () => undefined });
const runtime = new BeaconRuntime(new MemorySink());
const rule = { index: 0, name: 'bench' };
const unsent: Request[] = [];
const single = validateBeaconOptions({ idParam: 'bid' }, 'bench');
const batched = validateBeaconOptions({ idParam: 'bid', batch: 'ndjson', batchWaitSeconds: 0 }, 'bench');

const body = (n: number): string => JSON.stringify({ event: 'page_view', n, path: '/pricing', t: 1_790_000_000_000 + n });

async function fill({ system, count, url }: Fill): Promise<void> {
  // Chunks of concurrent adds: IndexedDB serialises the transactions, the page waits less.
  for (let start = 0; start < count; start += 100) {
    const chunk = Array.from({ length: Math.min(100, count - start) }, (_, i) => start + i);
    await Promise.all(
      chunk.map(async (n) => {
        const init = { method: 'POST', body: body(n), headers: { 'content-type': 'text/plain;charset=UTF-8' } };
        if (system === 'workbox' || system === 'fetch-only') {
          const request = new Request(`${url}?bid=${crypto.randomUUID()}`, { ...init, mode: 'no-cors' });
          if (system === 'workbox') await queue.pushRequest({ request });
          else unsent.push(request);
        } else {
          const { entry } = await beaconEntry(new Request(url, init), system === 'crossroute' ? single : batched, rule, Date.now());
          await runtime.queue(entry);
        }
      }),
    );
  }
}


/** Milliseconds to empty the queue, and what is left in it. */
async function drain({ system }: Drain): Promise<{ ms: number; left: number }> {
  const start = performance.now();
  if (system === 'workbox') await queue.replayRequests();
  else if (system === 'fetch-only') await sendAll(unsent.splice(0));
  else await runtime.drainer.drain('online');
  const ms = performance.now() - start;
  const left = system === 'workbox' ? await queue.size() : system === 'fetch-only' ? 0 : (await runtime.outbox.state(runtime.limits)).entries;
  return { ms, left };
}

/** The network's floor: six requests in flight (a browser's connections per host), no storage at all. */
async function sendAll(requests: Request[]): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < requests.length) await fetch(requests[next++]!);
  };
  await Promise.all(Array.from({ length: 6 }, lane));
}

self.addEventListener('message', (event) => {
  const message = event.data as Fill | Drain;
  const port = event.ports[0]!;
  const work = message.type === 'fill' ? fill(message).then(() => ({ ok: true })) : drain(message);
  event.waitUntil(work.then((result) => port.postMessage(result), (error: unknown) => port.postMessage({ error: String(error) })));
});
self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
