import type { RouteHandlerCallbackOptions, RouteHandlerObject } from 'workbox-core/types.js';
import { messageOf } from '../errors.js';
import { logger } from '../logger.js';
import { buildOutcome } from '../outcome/build-outcome.js';
import type { OutcomeSink } from '../contract/outcome-sink.js';
import { writeOutcome } from '../outcome/write-outcome.js';
import type { OutcomeNote } from '../contract/policy.js';
import type { CompiledRule } from '../rules/compiled-rule.js';
import { failOpen } from './fail-open.js';
import { rerouteHop, type HopMatcher } from './redirect-hop.js';
import { mergeHeldNote } from './merge-held-note.js';

/**
 * The one Workbox handler behind every crossroute route: runs the matched rule's policy, falls
 * back to the network when the policy fails, and hands one Outcome per request to the sink.
 */
export class PolicyDispatcher implements RouteHandlerObject {
  readonly #sink: OutcomeSink;
  /** The rules, for a response that was redirected (see rerouteHop); none for a lone policy. */
  readonly #hopRule: HopMatcher | undefined;
  constructor(
    sink: OutcomeSink,
    hopRule?: HopMatcher,
  ) {
    this.#sink = sink;
    this.#hopRule = hopRule;
  }

  /** Workbox's entry: the route's match callback returned the rule, which arrives as params. */
  handle(options: RouteHandlerCallbackOptions): Promise<Response> {
    return this.run(options.params as unknown as CompiledRule, options);
  }

  run(rule: CompiledRule, { request, event, url }: RouteHandlerCallbackOptions): Promise<Response> {
    const time = Date.now();
    const started = performance.now();
    const note: OutcomeNote = {};
    // Registered now, while the fetch event is still dispatching, so the worker stays alive until
    // the outcome is handed over even after the page has its response.
    let outcomeHandled!: () => void;
    event?.waitUntil(new Promise<void>((resolve) => (outcomeHandled = resolve)));
    // A policy may consume the body; the original stays untouched for the fail-open path.
    const policyRequest = request.method === 'GET' || request.method === 'HEAD' || rule.policy.readsBody === false ? request : request.clone();

    // The executor runs the policy now; a policy that throws synchronously (or returns no promise)
    // lands in the same catch as one that rejects.
    const merge = (n: OutcomeNote): void => void Object.assign(note, n);
    // Several held notes (a proxied body's end inside a fallback, a diagnosis) are all waited for.
    const held: Promise<OutcomeNote>[] = [];
    // Caught now, not when its turn comes: a later one failing first is then no unhandled rejection.
    const noteLater = (promise: Promise<OutcomeNote>): void => void held.push(promise.catch((error: unknown) => ({ detail: `the policy's later note failed: ${messageOf(error)}` })));
    const answered = new Promise<unknown>((resolve) => resolve(rule.policy.handle({ request: policyRequest, event, url, params: { rule, note: merge, noteLater } })))
      .then(async (response) => {
        if (!(response instanceof Response)) throw new TypeError(`policy "${rule.policyName}" resolved without a Response`);
        const hop = this.#hopRule && (await rerouteHop(response, request, event, rule, this.#hopRule, merge));
        // The held note was about a response the page will not get.
        if (hop) held.length = 0;
        return hop ?? response;
      })
      .catch((error: unknown) => {
        held.length = 0;
        if (process.env.NODE_ENV !== 'production') logger.error(`${rule.name} (${rule.policyName}) failed; falling back to the network`, error);
        return failOpen(request, rule, error, note);
      });

    void answered
      .then(async (response) => {
        // How long until the page had its response; what a held note adds comes after.
        const durationMs = performance.now() - started;
        for (const promise of held) mergeHeldNote(note, await promise);
        return writeOutcome(this.#sink, buildOutcome({ request, ruleIndex: rule.index, policy: rule.policyName, time, durationMs, response, note }));
      })
      .finally(outcomeHandled);
    return answered;
  }
}
