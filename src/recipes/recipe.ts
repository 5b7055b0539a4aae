// Built, these imports name crossroute/sw itself (see rollup.config.mjs): the app's bundler then picks
// the same build of the policies (development or production) for its worker and for a recipe.
import { beacon } from '../sw/policies/beacon.js';
import type { BeaconOptions } from '../sw/policies/beacon/beacon-options.js';
import { cors } from '../sw/policies/cors.js';
import type { proxy } from '../sw/policies/proxy.js';
import type { Rule } from '../sw/rules/rule.js';

/** What every recipe takes. */
export interface RecipeOptions {
  /**
   * The SDK's API origin, as its host option names it (`https://eu.i.posthog.com`, a reverse proxy
   * of yours, `http://127.0.0.1:8788`), or a pattern such as `https://*.example.com`.
   */
  origin: string;
  /**
   * The policy for the SDK's reads (remote config, feature flags), imported from crossroute/sw.
   * `cors` (default): the vendors' own hosts send CORS headers. `proxy`: an endpoint without CORS,
   * read through crossroute/proxy (mount it on the app's origin with this origin allowed).
   */
  reads?: typeof cors | typeof proxy;
  /** Options of the beacon rule (idParam, credentials, answer, backoff…). */
  beacon?: BeaconOptions;
}

/** What a recipe knows about one SDK: its beacon paths and its read paths on the API origin. */
export interface RecipeSpec {
  name: string;
  /** Requests that only send (events, batches, recordings): queued by the beacon policy. */
  beacons: string[];
  /** Requests that read an answer (config, flags): never answered by the outbox. */
  reads: string[];
}

/** The rules of one SDK: reads first (they may be POSTs, which a beacon rule would take), then beacons. */
export function recipeRules(spec: RecipeSpec, options: RecipeOptions): Rule[] {
  const rules: Rule[] = [];
  if (spec.reads.length > 0) {
    rules.push({ name: `${spec.name}:reads`, match: { origin: options.origin, path: spec.reads }, policy: options.reads ?? cors });
  }
  if (spec.beacons.length > 0) {
    rules.push({ name: `${spec.name}:beacons`, match: { origin: options.origin, path: spec.beacons, method: ['POST', 'GET'] }, policy: beacon, options: options.beacon ?? {} });
  }
  return rules;
}

/** Both spellings of each path: SDKs and their host options differ on the trailing slash. */
export function withAndWithoutSlash(paths: readonly string[]): string[] {
  return paths.flatMap((path) => [path, path.endsWith('/') ? path.slice(0, -1) : `${path}/`]);
}
