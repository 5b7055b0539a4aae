import { CrossrouteError, messageOf } from '../errors.js';
import { logger } from '../logger.js';
import type { Crossroute } from '../setup.js';
import type { ValidatedRule } from '../rules/validate-rules.js';

declare const self: ServiceWorkerGlobalScope;

/** What the app's own fetch handlers leave alone: every request to another origin, or URL patterns. */
export type AppLeaves = 'cross-origin' | readonly string[];

/** The Static Routing API's condition (Chromium 123+), as far as crossroute uses it. */
type RouterCondition = { urlPattern: { protocol: string; hostname: string; port: string } | string } | { or: RouterCondition[] } | { not: RouterCondition };
interface RouterRule {
  condition: RouterCondition;
  source: 'network';
}

/**
 * The static route that sends to the network, without starting the worker, what the app leaves alone
 * and no rule can match; undefined when the rules cannot be bounded by origin (a rule without `origin`
 * that may match other origins). A rule is excluded by its whole origin, whatever its path, method or
 * mode, and both spellings of a host (with and without the root's trailing dot, which the matcher
 * reads as one), so a route never takes a request a rule, `block` included, would match.
 */
function staticNetworkRoute(rules: readonly ValidatedRule[], appLeaves: AppLeaves): RouterRule | undefined {
  const own = self.location;
  const ownOrigin = hostCondition(own.protocol, escape(own.hostname), own.port);
  const ruled: RouterCondition[] = [];
  for (const rule of rules) {
    if (!rule.origins) {
      if (rule.crossOrigin !== false) return undefined;
      ruled.push(ownOrigin);
      continue;
    }
    for (const pattern of rule.origins) {
      if (pattern.kind === 'subdomains') {
        ruled.push(...spellings(pattern.scheme, `*.${escape(pattern.suffix)}`, pattern.port));
      } else {
        const { protocol, hostname, port } = new URL(pattern.origin);
        ruled.push(...spellings(protocol, escape(hostname), port));
      }
    }
  }
  // "What the app leaves alone and no rule matches", as not(not(leaves) or ruled): a condition with
  // `or` or `not` may hold nothing else.
  const appHandles: RouterCondition = appLeaves === 'cross-origin' ? ownOrigin : { not: { or: appLeaves.map((pattern) => ({ urlPattern: pattern })) } };
  return { condition: { not: { or: [appHandles, ...ruled] } }, source: 'network' };
}

/**
 * Opt-in, where the Service Worker Static Routing API exists (Chromium 123+; elsewhere nothing
 * changes): at install, a static route sends to the network, without starting the worker, the
 * requests the app's own fetch handlers leave alone (`appLeaves`: `'cross-origin'`, or full URL
 * patterns such as `'https://cdn.example/*'`) and no rule of `crossroute` can match: every origin a
 * rule names stays with the worker, whole. With a rule that has no `origin` (and may match any
 * origin) no route is added. Call it where `setupCrossroute` is called, when the worker script
 * runs; the route lasts as long as this worker version. A browser that refuses the route leaves
 * every request to the worker, as before.
 */
export function addStaticRoutes(crossroute: Crossroute, options: { appLeaves: AppLeaves }): void {
  // setupCrossroute returns its validated rules, origins included.
  const route = staticNetworkRoute(crossroute.rules as readonly ValidatedRule[], appLeavesOf(options));
  self.addEventListener('install', (event) => {
    const install = event as ExtendableEvent & { addRoutes?: (rules: RouterRule[]) => Promise<void> };
    if (!install.addRoutes) return;
    if (!route) {
      if (process.env.NODE_ENV !== 'production') logger.warn('addStaticRoutes: a rule without `origin` may match any request, so no static route is added');
      return;
    }
    install.waitUntil(
      install.addRoutes([route]).catch((error: unknown) => {
        if (process.env.NODE_ENV !== 'production') logger.warn(`addStaticRoutes: the browser refused the static route, requests go through the worker: ${messageOf(error)}`);
      }),
    );
  });
}

function appLeavesOf(options: { appLeaves: AppLeaves }): AppLeaves {
  const leaves: unknown = options?.appLeaves;
  if (leaves === 'cross-origin' || (Array.isArray(leaves) && leaves.length > 0 && leaves.every((p) => typeof p === 'string' && /^https?:\/\//.test(p)))) return leaves as AppLeaves;
  throw new CrossrouteError(
    'invalid-options',
    'addStaticRoutes(crossroute, options).appLeaves',
    process.env.NODE_ENV !== 'production' &&
      `addStaticRoutes(crossroute, options).appLeaves must be 'cross-origin' or a non-empty array of full URL patterns such as "https://cdn.example/*" (what the app's own fetch handlers leave alone); got ${JSON.stringify(leaves)}.`,
  );
}

/** Every URL of one origin; `protocol` as URL gives it ("https:"), `hostname` a pattern. */
function hostCondition(protocol: string, hostname: string, port: string): RouterCondition {
  return { urlPattern: { protocol: protocol.slice(0, -1), hostname, port: escape(port) } };
}

/** The host with and without the root's trailing dot: the matcher reads both as one. */
function spellings(protocol: string, hostname: string, port: string): RouterCondition[] {
  return [hostCondition(protocol, hostname, port), hostCondition(protocol, `${hostname}.`, port)];
}

/** A URL pattern that matches `text` literally. */
function escape(text: string): string {
  return text.replace(/[\\:*(){}+?]/g, '\\$&');
}
