import type { RouteHandlerCallbackOptions } from 'workbox-core/types.js';
import type { OutcomeKind } from '../../model/outcome.js';
import type { OutcomeSink } from '../outcome/outcome-sink.js';
import type { CompiledRule } from '../rules/compiled-rule.js';

/** What a policy may say about its outcome beyond what the response shows. */
export interface OutcomeNote {
  /** The outcome's kind, where the response alone would not tell it (e.g. `cache-hit`, `queued`). */
  kind?: OutcomeKind;
  /** Human explanation, shown in the outcome's `detail`. */
  detail?: string;
  /** What the policy changed on the way, one line each. */
  changes?: string[];
}

/** Handed to a policy with each request: the rule that matched and a place to note the outcome. */
export interface PolicyParams {
  /** The rule that matched the request. */
  rule: CompiledRule;
  /** Merges into the request's Outcome; the last note of a field wins. */
  note(note: OutcomeNote): void;
}

/** What Workbox hands a route handler, with crossroute's params. */
export interface PolicyHandlerOptions extends RouteHandlerCallbackOptions {
  /** The matched rule and the outcome note. */
  params: PolicyParams;
}

/**
 * A policy has the shape of a Workbox route handler object, with typed params: crossroute's
 * dispatcher (the RouteHandlerObject Workbox calls) hands it the matched rule. It answers one
 * request; throwing means "I failed": the untouched request then goes to the network (fail open).
 */
export interface Policy {
  /** Answers the request; throws (or rejects) to fail open. */
  handle(options: PolicyHandlerOptions): Promise<Response>;
  /**
   * false when the policy never reads the request body: the dispatcher then skips the clone it
   * otherwise keeps for the fail-open path (a clone of a large upload costs its size in memory).
   */
  readonly readsBody?: boolean;
}

/** What a policy gets at setup, beside its options: for work outside a fetch event (replays, sweeps). */
export interface PolicyContext {
  /** The rule the policy serves. */
  rule: { index: number; name: string };
  /** Where outcomes go; a policy writes here directly only for work no fetch event carries. */
  sink: OutcomeSink;
}

/**
 * Builds a policy from a rule's options. `validate` runs at setup for every rule using the policy
 * and throws a CrossrouteError naming `field` (e.g. "rules[2].options.status") and the fix.
 */
export interface PolicyFactory<Options = unknown> {
  /** Checks a rule's options at setup and returns them typed; throws a CrossrouteError naming `field`. */
  validate(options: unknown, field: string): Options;
  /** Builds the policy for one rule from its validated options. */
  create(options: Options, context: PolicyContext): Policy;
}

/**
 * Policies by name. Each entry's validate and create agree on their own options type, which a
 * heterogeneous record cannot express, hence `any` here and nowhere else.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PolicyRegistry = Readonly<Record<string, PolicyFactory<any>>>;

/**
 * Options per policy name. Policies added later (or by an app) extend this interface by module
 * augmentation, which also makes their names valid in `Rule['policy']`.
 */
export interface PolicyOptionsMap {
  /** The network, as is: no options. */
  passthrough: Record<string, never>;
  /** Fetches in cors mode. */
  cors: import('./cors.js').CorsOptions;
  /** Answers a synthetic refusal. */
  block: import('./block.js').BlockOptions;
  /** Caches third-party subresources, opaque ones included. */
  'opaque-cache': import('./opaque-cache.js').OpaqueCacheOptions;
  /** Sends the request later from a durable outbox. */
  beacon: import('./beacon/beacon-options.js').BeaconOptions;
  /** Sends the request through the app's own proxy. */
  proxy: import('./proxy.js').ProxyPolicyOptions;
}
