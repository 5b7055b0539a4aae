import { OUTCOMES_CHANNEL } from '../../log/schema.js';
import { CrossrouteError } from '../errors.js';
import { OptionsReader } from '../policies/options.js';
import { describe } from '../rules/validate-rules.js';
import type { UrlRedaction } from './redact-outcome.js';

/** Query parameters whose values the log never stores, by default (matched case-insensitively). */
export const REDACT_PARAMS: readonly string[] = 'token access_token id_token refresh_token code password passwd key api_key apikey secret client_secret sig signature auth'.split(' ');

/** Options of `new OutcomeLog()`; each has a default. */
export interface OutcomeLogOptions {
  /** Records kept at most; the oldest go first. Default 10,000. */
  maxEntries?: number;
  /** Records older than this many seconds go. Default 604,800 (7 days). */
  maxAgeSeconds?: number;
  /** A batch is written as soon as this many outcomes wait. Default 200. */
  batchSize?: number;
  /**
   * Seconds a batch stays open at most (fractions allowed): it closes earlier once no outcome has
   * arrived for 50 ms, or at `batchSize`. Default 0: a batch is what arrives in the same task, handed
   * to IndexedDB in that task. A window is faster per request (see the README) but its open batch is
   * lost when the browser closes (Chromium did not wait for the fetch events' waitUntil) or a forced
   * stop (CDP's stopAllWorkers) ends the worker.
   */
  flushDelaySeconds?: number;
  /**
   * BroadcastChannel that announces stored records to pages, what is stored within 50 ms in one
   * message; false for none. Default "crossroute-outcomes".
   */
  channelName?: string | false;
  /**
   * How URLs are kept (the outcome's `url` and any URL in its `detail` and `changes`), before they
   * are stored or announced; the fragment and any user info always go. "redact-params" (default):
   * the values of the `redactParams` parameters are replaced with "redacted". "origin-path": the
   * whole query goes too.
   */
  urls?: 'redact-params' | 'origin-path';
  /** Query parameter names (case-insensitive) whose values are replaced; default REDACT_PARAMS. `[]` keeps every value. */
  redactParams?: string[];
}

export interface ResolvedLogOptions {
  maxRecords: number;
  maxAgeMs: number;
  batchSize: number;
  flushDelayMs: number;
  channelName: string | false;
  redaction: UrlRedaction;
}

export function resolveLogOptions(options: OutcomeLogOptions): ResolvedLogOptions {
  const read = new OptionsReader(options, 'new OutcomeLog(options)');
  const resolved: ResolvedLogOptions = {
    maxRecords: read.integer('maxEntries', 10_000, 1, 10_000_000),
    maxAgeMs: read.seconds('maxAgeSeconds', 7 * 86_400, 1, 3650 * 86_400),
    batchSize: read.integer('batchSize', 200, 1, 10_000),
    flushDelayMs: read.seconds('flushDelaySeconds', 0, 0, 60),
    channelName: read.stringOrFalse('channelName', OUTCOMES_CHANNEL),
    redaction: {
      originPath: read.oneOf('urls', 'redact-params', ['redact-params', 'origin-path']) === 'origin-path',
      params: new Set(paramNames(read.raw('redactParams') ?? REDACT_PARAMS).map((name) => name.toLowerCase())),
    },
  };
  read.done();
  return resolved;
}

function paramNames(names: unknown): string[] {
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string' && name !== '')) {
    throw new CrossrouteError(
      'invalid-options',
      'new OutcomeLog(options).redactParams',
      process.env.NODE_ENV !== 'production' &&
        `new OutcomeLog(options).redactParams must be an array of query parameter names, such as ["token", "code"] ([] to keep every value; got ${describe(names)}).`,
    );
  }
  return names;
}
