import type { Outcome } from '../../src/client/index.js';

/** Asks the controlling worker for its outcomes (see outcome-bridge-sw.ts). */
export function askWorker(type: 'outcomes' | 'clear-outcomes'): Promise<Outcome[]> {
  const controller = navigator.serviceWorker.controller;
  if (!controller) return Promise.reject(new Error('this page is not controlled by a service worker yet'));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data as Outcome[]);
    controller.postMessage({ type }, [channel.port2]);
  });
}
