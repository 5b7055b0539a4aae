import { OUTCOMES_CHANNEL } from '../../log/schema.js';
import { OptionsReader } from '../policies/options.js';

/** Options of `new OutcomeLog()`; each has a default. */
export interface OutcomeLogOptions {
  /** Records kept at most; the oldest go first. Default 10,000. */
  maxEntries?: number;
  /** Records older than this many seconds go. Default 604,800 (7 days). */
  maxAgeSeconds?: number;
  /** A batch is written as soon as this many outcomes wait. Default 200. */
  batchSize?: number;
  /**
   * Seconds the first outcome of a batch waits for others (fractions allowed). Default 0: no wait, a batch is what
   * arrives in the same task, and a stopped worker loses nothing it answered. A delay makes bigger
   * batches, but a worker stopped within it loses those outcomes.
   */
  flushDelaySeconds?: number;
  /** BroadcastChannel that announces stored batches to pages; false for none. Default "crossroute-outcomes". */
  channelName?: string | false;
}

export interface ResolvedLogOptions {
  maxRecords: number;
  maxAgeMs: number;
  batchSize: number;
  flushDelayMs: number;
  channelName: string | false;
}

export function resolveLogOptions(options: OutcomeLogOptions): ResolvedLogOptions {
  const read = new OptionsReader(options, 'new OutcomeLog(options)');
  const resolved: ResolvedLogOptions = {
    maxRecords: read.integer('maxEntries', 10_000, 1, 10_000_000),
    maxAgeMs: read.seconds('maxAgeSeconds', 7 * 86_400, 1, 3650 * 86_400),
    batchSize: read.integer('batchSize', 200, 1, 10_000),
    flushDelayMs: read.seconds('flushDelaySeconds', 0, 0, 60),
    channelName: read.stringOrFalse('channelName', OUTCOMES_CHANNEL),
  };
  read.done();
  return resolved;
}
