import { Route, type Router } from 'workbox-routing';
import { getOrCreateDefaultRouter } from 'workbox-routing/utils/getOrCreateDefaultRouter.js';
import type { HTTPMethod } from 'workbox-routing/utils/constants.js';
import { CrossrouteError } from './errors.js';
import { MemorySink } from './outcome/memory-sink.js';
import type { OutcomeSink } from './outcome/outcome-sink.js';
import { builtinPolicies } from './policies/builtin-policies.js';
import type { PolicyRegistry } from './policies/policy.js';
import { PolicyDispatcher } from './route/policy-dispatcher.js';
import type { CompiledRule } from './rules/compiled-rule.js';
import { HTTP_METHODS, type Rule } from './rules/rule.js';
import { RuleMatcher } from './rules/rule-matcher.js';
import { validateRules } from './rules/validate-rules.js';

/** Options of setupCrossroute(). */
export interface CrossrouteOptions {
  /** Checked in order; the first rule that matches a request handles it; no match: not intercepted. */
  rules: readonly Rule[];
  /** Receives one Outcome per handled request; default: a MemorySink of the latest 1000. */
  sink?: OutcomeSink;
  /** The app's own policies, by name, beside the built-in ones (which they may not replace). */
  policies?: PolicyRegistry;
  /**
   * The Workbox Router to register on; default: workbox-routing's default router (which listens to
   * fetch events), so crossroute shares routing with the app's other Workbox routes.
   */
  router?: Router;
}

/** What setupCrossroute() set up. */
export interface Crossroute {
  /** The rules as compiled, in order. */
  readonly rules: readonly CompiledRule[];
  /** Where outcomes go (the default MemorySink when none was given). */
  readonly sink: OutcomeSink;
  /** Removes crossroute's routes; requests then go where they would without it. */
  unregister(): void;
}

/**
 * Validates every rule first (a bad config throws before anything is registered), compiles them
 * into one origin-keyed matcher, and registers one Workbox route per HTTP method the rules can match.
 */
export function setupCrossroute(options: CrossrouteOptions): Crossroute {
  const sink = options.sink ?? new MemorySink();
  const policies = withAppPolicies(options.policies ?? {});
  const matcher = new RuleMatcher(validateRules(options.rules, policies, sink), HTTP_METHODS);
  const dispatcher = new PolicyDispatcher(sink);
  const routes = [...matcher.methods].map(
    (method) =>
      new Route(
        ({ url, request, sameOrigin }) =>
          matcher.match({ url, method: request.method, destination: request.destination, mode: request.mode, sameOrigin }),
        dispatcher,
        method as HTTPMethod,
      ),
  );
  const router = options.router ?? getOrCreateDefaultRouter();
  for (const route of routes) router.registerRoute(route);
  return {
    rules: matcher.rules,
    sink,
    unregister() {
      for (const route of routes) router.unregisterRoute(route);
    },
  };
}

function withAppPolicies(appPolicies: PolicyRegistry): PolicyRegistry {
  for (const name of Object.keys(appPolicies)) {
    if (Object.hasOwn(builtinPolicies, name)) {
      throw new CrossrouteError('policy-name-taken', `policies.${name}: "${name}" is a built-in policy. Give your policy another name.`);
    }
  }
  return { ...builtinPolicies, ...appPolicies };
}
