declare const self: ServiceWorkerGlobalScope;

/** Answers the event (calling respondWith) and returns true, or leaves it to others and returns false. */
export type Responder = (event: FetchEvent) => boolean;

const responders = new Set<Responder>();

// Added when crossroute/sw is first evaluated, before the app's own code runs: the first fetch
// handler to call respondWith stops the event, so crossroute's rules are not taken by a Workbox
// default handler or a second copy of workbox-routing the app sets up next. Capturing as well: the
// engines that run a target's capturing listeners first (Firefox ESR 153) put it ahead even of a
// handler added earlier; Chromium 156 keeps the order handlers were added in (both measured).
self.addEventListener('fetch', (event) => {
  for (const respond of responders) if (respond(event)) return;
}, { capture: true });

/** Routes fetch events to `respond` (after the responders added before it) until the returned function is called. */
export function addResponder(respond: Responder): () => void {
  responders.add(respond);
  return () => responders.delete(respond);
}
