import type { Route, Router } from 'workbox-routing';
import type { OutcomeSink } from './contract/outcome-sink.js';
import { MemorySink } from './outcome/memory-sink.js';
import { addResponder } from './route/fetch-listener.js';
import { PolicyDispatcher } from './route/policy-dispatcher.js';
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
  const matcher = new RuleMatcher(validateRules(options.rules, sink), HTTP_METHODS);
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
