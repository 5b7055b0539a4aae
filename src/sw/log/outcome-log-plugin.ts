import type { HandlerDidCompleteCallbackParam, HandlerWillStartCallbackParam, WorkboxPlugin } from 'workbox-core/types.js';
import { messageOf } from '../errors.js';
import { buildOutcome } from '../outcome/build-outcome.js';
import { writeOutcome, type OutcomeSink } from '../outcome/outcome-sink.js';

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
}

/**
 * Logs requests handled by any Workbox strategy (routes that are not crossroute's) as Outcomes:
 * one per handled request, with ruleIndex -1, "from cache" in the detail when no fetch happened.
 * Workbox awaits handlerDidComplete inside the event's waitUntil, so the write is not cut short.
 */
export class OutcomeLogPlugin implements WorkboxPlugin {
  private readonly sink: OutcomeSink;
  private readonly policy: string;

  constructor({ sink, policy = 'workbox' }: OutcomeLogPluginOptions) {
    this.sink = sink;
    this.policy = policy;
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

  /** Writes the outcome once the strategy has answered (or failed). */
  handlerDidComplete: WorkboxPlugin['handlerDidComplete'] = async ({ request, response, error, state = {} }: HandlerDidCompleteCallbackParam) => {
    const { time = Date.now(), started = performance.now(), fetched = false } = state as PluginState;
    const outcome = buildOutcome({
      request,
      ruleIndex: -1,
      policy: this.policy,
      time,
      durationMs: performance.now() - started,
      response,
      note: error ? { kind: 'network-error', detail: messageOf(error) } : { detail: fetched ? 'from the network' : 'from cache' },
    });
    // A failing sink loses this record only; the strategy's response is already on its way.
    await writeOutcome(this.sink, outcome);
  };
}
