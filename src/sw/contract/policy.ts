import type { RouteHandlerCallbackOptions } from 'workbox-core/types.js';
import type { Outcome } from '../../model/outcome.js';
import type { OutcomeSink } from './outcome-sink.js';

/**
 * What a policy may say about its outcome beyond what the response shows: the kind, where the
 * response alone would not tell it (e.g. `cache-hit`, `queued`), the `detail`, its `changes`, and the
 * structured facts it knows (`redirects`, `upstreamStatus`, `beaconId`, a CORS `reason` and its `fix`), each copied to the outcome.
 */
export type OutcomeNote = Partial<Pick<Outcome, 'kind' | 'detail' | 'changes' | 'redirects' | 'upstreamStatus' | 'beaconId' | 'reason' | 'fix'>>;

/** The rule a policy serves, as outcomes and errors name it. */
export interface RuleInfo {
  /** Its place in `setupCrossroute`'s rules; -1 for a policy used as a plain Workbox handler. */
  index: number;
  /** The rule's `name`, default `rule N`. */
  name: string;
}

/** Handed to a policy with each request: the rule that matched and a place to note the outcome. */
export interface PolicyParams {
  /** The rule that matched the request. */
  rule: RuleInfo;
  /** Merges into the request's Outcome; the last note of a field wins. */
  note(note: OutcomeNote): void;
  /**
   * Holds the Outcome until `later` settles, then merges the note it resolves to: for what is
   * known only after the response is returned, such as whether its body reached the page or why
   * the origin refused CORS (a diagnosis; the policy bounds its time). The
   * fetch event is kept alive until then; the hold is dropped if the policy then fails (fail open).
   * The note's `detail` is added to the outcome's detail as it stands then (after "; "), so a
   * held note says only what it adds. Several calls are all waited for, their notes merged in call order. Absent where no outcome can
   * wait (a redirect hop's policy).
   */
  noteLater?(later: Promise<OutcomeNote>): void;
}

/** What a policy's `handle` gets: Workbox's handler options, with crossroute's params. */
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
  rule: RuleInfo;
  /** Where outcomes go; a policy writes here directly only for work no fetch event carries. */
  sink: OutcomeSink;
}

/**
 * A policy as a rule names it: `{ match, policy: cors }`. A rule imports the policies it uses, so a
 * bundler leaves out every policy no rule names.
 *
 * `Options` is what a rule may write in `options` (checked by the type system); `Config` is what
 * `validate` makes of it at setup. `validate` runs once per rule, before any policy is created, and
 * throws a CrossrouteError naming `field` (e.g. `rules[2].options.status`) and the fix.
 */
export interface PolicyFactory<Options = unknown, Config = unknown> {
  /** Recorded as the outcome's `policy`; unique among the policies of one setup. */
  readonly name: string;
  // A function-typed property, not a method: its parameter is then checked contravariantly, which is
  // what lets a rule's `options` be typed by the policy it names.
  /** Checks a rule's options at setup and returns the policy's config; throws a CrossrouteError naming `field`. */
  readonly validate: (options: Options, field: string) => Config;
  /** Builds the policy for one rule from its validated config. */
  create(config: Config, context: PolicyContext): Policy;
}
