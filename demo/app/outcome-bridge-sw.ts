/// <reference lib="webworker" />
import type { MemorySink } from '../../src/sw/index.js';

declare const self: ServiceWorkerGlobalScope;

/**
 * Lets a page read (and clear) the worker's in-memory outcomes over a MessageChannel. Works in
 * every engine, unlike evaluating code inside the worker, which only Chromium's tooling can do.
 */
export function answerOutcomeQueries(sink: MemorySink): void {
  self.addEventListener('message', (event) => {
    const port = event.ports[0];
    if (!port || typeof event.data !== 'object' || event.data === null) return;
    if (event.data.type === 'outcomes') port.postMessage(sink.list());
    if (event.data.type === 'clear-outcomes') {
      sink.clear();
      port.postMessage([]);
    }
  });
}
