import type { HandlerDidCompleteCallbackParam, HandlerWillStartCallbackParam, WorkboxPlugin } from 'workbox-core/types.js';
import { messageOf } from '../errors.js';
import { buildOutcome } from '../outcome/build-outcome.js';
import type { OutcomeSink } from '../contract/outcome-sink.js';
import { writeOutcome } from '../outcome/write-outcome.js';

/** Options of `new OutcomeLogPlugin()`. */
export interface OutcomeLogPluginOptions {
  /** Where the outcomes go (an OutcomeLog, a MemorySink, your own). */
  sink: OutcomeSink;
  /** Recorded as the outcome's policy; default "workbox". */
  policy?: string;
}

interface PluginState {
  time?: number;
  started?: number;
  fetched?: boolean;
  /** The response the strategy read from its cache, if any: when it is the answer, the outcome is a cache hit. */
  cached?: Response | null;
}

/**
 * Logs requests handled by any Workbox strategy (routes that are not crossroute's) as Outcomes:
 * one per handled request, with ruleIndex -1. An answer from the strategy's cache is a `cache-hit`,
 * also when the strategy fetched in the background as well (stale-while-revalidate).
 * Workbox awaits handlerDidComplete inside the event's waitUntil, so the write is not cut short.
 */
export class OutcomeLogPlugin implements WorkboxPlugin {
  readonly #sink: OutcomeSink;
  readonly #policy: string;

  constructor({ sink, policy = 'workbox' }: OutcomeLogPluginOptions) {
    this.#sink = sink;
    this.#policy = policy;
  }

  /** Notes when the strategy started. */
  handlerWillStart: WorkboxPlugin['handlerWillStart'] = async ({ state }: HandlerWillStartCallbackParam) => {
    if (state) Object.assign(state, { time: Date.now(), started: performance.now(), fetched: false } satisfies PluginState);
  };

  /** Notes that the strategy went to the network. */
  requestWillFetch: WorkboxPlugin['requestWillFetch'] = async ({ request, state }) => {
    if (state) state['fetched'] = true;
    return request;
  };

  /** Notes the answer the cache had, to tell a cache hit from a network answer. */
  cachedResponseWillBeUsed: WorkboxPlugin['cachedResponseWillBeUsed'] = async ({ cachedResponse, state }) => {
    if (state) state['cached'] = cachedResponse ?? null;
    return cachedResponse ?? null;
  };

  /** Writes the outcome once the strategy has answered (or failed). */
  handlerDidComplete: WorkboxPlugin['handlerDidComplete'] = async ({ request, response, error, state = {} }: HandlerDidCompleteCallbackParam) => {
    const { time = Date.now(), started = performance.now(), fetched = false, cached } = state as PluginState;
    const fromCache = response !== undefined && response === cached;
    const outcome = buildOutcome({
      request,
      ruleIndex: -1,
      policy: this.#policy,
      time,
      durationMs: performance.now() - started,
      response,
      note: error
        ? { kind: 'network-error', detail: messageOf(error) }
        : fromCache
          ? { kind: 'cache-hit', detail: fetched ? 'from cache; refreshed from the network in the background' : 'from cache' }
          : { detail: 'from the network' },
    });
    // A failing sink loses this record only; the strategy's response is already on its way.
    await writeOutcome(this.#sink, outcome);
  };
}
