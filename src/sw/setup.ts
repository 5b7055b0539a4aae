import type { Route, Router } from 'workbox-routing';
import type { OutcomeSink } from './contract/outcome-sink.js';
import { MemorySink } from './outcome/memory-sink.js';
import { addResponder } from './route/fetch-listener.js';
import { PolicyDispatcher } from './route/policy-dispatcher.js';
import { addStaticRoute, staticNetworkRoute, type AppLeaves } from './route/static-routes.js';
import { CrossrouteError } from './errors.js';
import type { CompiledRule } from './rules/compiled-rule.js';
import { HTTP_METHODS, type Rules } from './rules/rule.js';
import { RuleMatcher } from './rules/rule-matcher.js';
import { validateRules } from './rules/validate-rules.js';

declare const self: ServiceWorkerGlobalScope;

type RuleFor = (url: URL, request: Request, sameOrigin?: boolean) => CompiledRule | undefined;

/** What `setupCrossroute` takes; `OptionsList` is inferred, one entry per rule, from each rule's policy. */
export interface CrossrouteOptions<OptionsList extends readonly unknown[] = readonly unknown[]> {
  /** Checked in order; the first rule that matches a request handles it; no match: not intercepted. */
  rules: Rules<OptionsList>;
  /** Receives one Outcome per handled request; default: a MemorySink of the latest 1000. */
  sink?: OutcomeSink;
  /**
   * A Workbox Router to register crossroute's routes on, beside the app's own routes and in their
   * order. Default: none; crossroute answers the requests its rules match from its own fetch
   * listener, added when crossroute/sw is loaded, ahead of the handlers the app adds (see the README).
   */
  router?: Router;
  /**
   * Opt-in, where the Service Worker Static Routing API exists (Chromium 123+; elsewhere nothing
   * changes): at install, a static route sends to the network, without starting the worker, the
   * requests the app's own handlers leave alone (`appLeaves`: `'cross-origin'`, or full URL patterns
   * such as `'https://cdn.example/*'`) and no rule can match: every origin a rule names stays with the
   * worker, whole. With a rule that has no `origin` (and may match other origins) no route is added.
   * The route lasts as long as this worker version.
   */
  staticRoutes?: { appLeaves: AppLeaves };
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

/**
 * Validates every rule first (a bad config throws before anything is registered), compiles them
 * into one origin-keyed matcher, and starts answering the requests they match.
 */
export function setupCrossroute<const OptionsList extends readonly unknown[]>(options: CrossrouteOptions<OptionsList>): Crossroute {
  const sink = options.sink ?? new MemorySink();
  const validated = validateRules(options.rules, sink);
  if (options.staticRoutes !== undefined) addStaticRoute(staticNetworkRoute(validated, appLeaves(options.staticRoutes)));
  const matcher = new RuleMatcher(validated, HTTP_METHODS);
  // The rule for a request; Workbox's match callback says whether it is same-origin, the listener works it out.
  const ruleFor: RuleFor = (url, request, sameOrigin = url.origin === self.location.origin) =>
    matcher.match({ url, method: request.method, destination: request.destination, mode: request.mode, sameOrigin });
  const dispatcher = new PolicyDispatcher(sink, ruleFor);
  const { router } = options;
  if (router) {
    // Route's shape, without its class: a worker that never passes a router does not bundle it.
    const routes = [...matcher.methods].map(
      (method) =>
        ({
          match: ({ url, request, sameOrigin }) => ruleFor(url, request, sameOrigin),
          handler: dispatcher,
          method,
        }) as Pick<Route, 'match' | 'handler'> & { method: string } as Route,
    );
    for (const route of routes) router.registerRoute(route);
    // Workbox routes only its six methods; OPTIONS, PURGE, a lowercase `patch`… reach crossroute's listener.
    const others = matcher.otherMethods ? answerMatches(ruleFor, dispatcher, (method) => !(HTTP_METHODS as readonly string[]).includes(method)) : undefined;
    return {
      rules: matcher.rules,
      sink,
      unregister: () => {
        routes.forEach((route) => router.unregisterRoute(route));
        others?.();
      },
    };
  }
  return { rules: matcher.rules, sink, unregister: answerMatches(ruleFor, dispatcher, () => true) };
}

/** Answers, from crossroute's fetch listener, the requests with a method `forMethod` accepts that a rule matches. */
function answerMatches(ruleFor: RuleFor, dispatcher: PolicyDispatcher, forMethod: (method: string) => boolean): () => void {
  return addResponder((event) => {
    const { request } = event;
    if (!forMethod(request.method)) return false;
    const url = new URL(request.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    const rule = ruleFor(url, request);
    if (rule) event.respondWith(dispatcher.run(rule, { request, event, url }));
    return rule !== undefined;
  });
}

function appLeaves(staticRoutes: { appLeaves: AppLeaves }): AppLeaves {
  const leaves: unknown = staticRoutes?.appLeaves;
  if (leaves === 'cross-origin' || (Array.isArray(leaves) && leaves.length > 0 && leaves.every((p) => typeof p === 'string' && /^https?:\/\//.test(p)))) return leaves as AppLeaves;
  throw new CrossrouteError(
    'invalid-options',
    'staticRoutes.appLeaves',
    process.env.NODE_ENV !== 'production' &&
      `staticRoutes.appLeaves must be 'cross-origin' or a non-empty array of full URL patterns such as "https://cdn.example/*" (what the app's own fetch handlers leave alone); got ${JSON.stringify(leaves)}.`,
  );
}
