import { Route, type Router } from 'workbox-routing';
import type { OutcomeSink } from './contract/outcome-sink.js';
import { MemorySink } from './outcome/memory-sink.js';
import { PolicyDispatcher } from './route/policy-dispatcher.js';
import type { CompiledRule } from './rules/compiled-rule.js';
import { HTTP_METHODS, type Rules } from './rules/rule.js';
import { RuleMatcher } from './rules/rule-matcher.js';
import { validateRules } from './rules/validate-rules.js';

declare const self: ServiceWorkerGlobalScope;

/** What `setupCrossroute` takes; `OptionsList` is inferred, one entry per rule, from each rule's policy. */
export interface CrossrouteOptions<OptionsList extends readonly unknown[] = readonly unknown[]> {
  /** Checked in order; the first rule that matches a request handles it; no match: not intercepted. */
  rules: Rules<OptionsList>;
  /** Receives one Outcome per handled request; default: a MemorySink of the latest 1000. */
  sink?: OutcomeSink;
  /**
   * A Workbox Router to register crossroute's routes on, beside the app's own. Default: none;
   * crossroute answers fetch events itself, ahead of every other fetch handler (see the README).
   */
  router?: Router;
}

/** What `setupCrossroute` returns. */
export interface Crossroute {
  /** The rules as validated and compiled, in order. */
  readonly rules: readonly CompiledRule[];
  /** Where outcomes go. */
  readonly sink: OutcomeSink;
  /** Stops routing; requests then go where they would without crossroute. */
  unregister(): void;
}

type RouteMethod = ConstructorParameters<typeof Route>[2];

/**
 * Validates every rule first (a bad config throws before anything is registered), compiles them
 * into one origin-keyed matcher, and starts answering the requests they match.
 */
export function setupCrossroute<const OptionsList extends readonly unknown[]>(options: CrossrouteOptions<OptionsList>): Crossroute {
  const sink = options.sink ?? new MemorySink();
  const matcher = new RuleMatcher(validateRules(options.rules, sink), HTTP_METHODS);
  const dispatcher = new PolicyDispatcher(sink);
  const { router } = options;
  if (router) {
    const routes = [...matcher.methods].map(
      (method) =>
        new Route(
          ({ url, request, sameOrigin }) => matcher.match({ url, method: request.method, destination: request.destination, mode: request.mode, sameOrigin }),
          dispatcher,
          method as RouteMethod,
        ),
    );
    for (const route of routes) router.registerRoute(route);
    return { rules: matcher.rules, sink, unregister: () => routes.forEach((route) => router.unregisterRoute(route)) };
  }

  const respond = (event: FetchEvent): void => {
    const { request } = event;
    const url = new URL(request.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return;
    const rule = matcher.match({ url, method: request.method, destination: request.destination, mode: request.mode, sameOrigin: url.origin === self.location.origin });
    if (rule) event.respondWith(dispatcher.run(rule, { request, event, url }));
  };
  // A capturing listener on the worker's global scope runs before every non-capturing one (the DOM
  // runs capture listeners first at the target), and respondWith stops the event there. So the
  // requests crossroute's rules match are crossroute's, whatever the app registered first: a Workbox
  // default handler, a NavigationRoute, or a second copy of workbox-routing with its own listener.
  self.addEventListener('fetch', respond, { capture: true });
  return { rules: matcher.rules, sink, unregister: () => self.removeEventListener('fetch', respond, { capture: true }) };
}
