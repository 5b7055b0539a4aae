import { OUTCOMES_CHANNEL, OUTCOMES_MESSAGE, type StoredOutcome } from '../../log/schema.js';

/**
 * Calls `onOutcomes` with the records the worker's log stores, at most 50 ms after they are stored,
 * several batches per call (no polling).
 * Returns the function that stops watching.
 */
export function watchOutcomes(onOutcomes: (outcomes: StoredOutcome[]) => void, channelName = OUTCOMES_CHANNEL): () => void {
  const channel = new BroadcastChannel(channelName);
  channel.onmessage = (event: MessageEvent<{ type?: string; outcomes?: StoredOutcome[] }>) => {
    if (event.data?.type === OUTCOMES_MESSAGE && Array.isArray(event.data.outcomes)) onOutcomes(event.data.outcomes);
  };
  return () => channel.close();
}
