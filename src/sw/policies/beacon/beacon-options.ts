import { KEEPALIVE_BUDGET } from '../../../model/outbox-state.js';
import { CrossrouteError } from '../../errors.js';
import { batchFormat, batchFormatNames } from '../../outbox/batch-formats.js';
import { DEFAULT_OUTBOX_SETTINGS, type OutboxSettings } from '../../outbox/beacon-runtime.js';
import type { DeliveryMode, RetrySettings } from '../../outbox/outbox-entry.js';
import { OptionsReader } from '../options.js';
import { readBeaconAnswer, type BeaconAnswer } from './beacon-answer.js';

/** Options of the `beacon` policy. */
export interface BeaconOptions {
  /** "no-cors" (default), "cors" for endpoints that send CORS headers, or "auto". */
  delivery?: DeliveryMode;
  /**
   * Query parameter that carries the beacon's id (a no-cors request cannot carry a custom header),
   * so the server can drop duplicates; delivery is at-least-once. Default: none.
   */
  idParam?: string;
  /** Credentials of the send; default "page": the page request's own mode (sendBeacon's is "include"). */
  credentials?: RequestCredentials | 'page';
  /** Answered failures (408, 429, 5xx in cors mode) before a beacon is dropped; outages never count. Default 10. */
  maxAttempts?: number;
  /** Age in seconds after which an undelivered beacon is dropped. Default 604,800 (7 days). */
  maxAgeSeconds?: number;
  /** First retry delay in seconds (fractions allowed); doubles per failure with jitter. Default 1. */
  backoffSeconds?: number;
  /** Cap of the retry delay in seconds. Default 300 (5 minutes). */
  backoffMaxSeconds?: number;
  /** Batch POST beacons to the same endpoint in one request: "ndjson" or a name given to registerBatchFormat(). Default: off. */
  batch?: string;
  /** Beacons per batch at most. Default 50. */
  batchMaxEntries?: number;
  /** Bytes of a batch body at most; 64 KiB (the keepalive budget) at most. Default 65,536. */
  batchMaxBytes?: number;
  /** Seconds a beacon waits for others to share its batch (fractions allowed). Default 1. */
  batchWaitSeconds?: number;
  /** Outbox-wide: entries at most (the smallest value of all beacon rules applies). Default 50,000. */
  maxEntries?: number;
  /** Outbox-wide: bytes (bodies and URLs) at most. Default 20 MiB. */
  maxBytes?: number;
  /** Outbox-wide: requests in flight at most while draining. Default 6 (a browser's connections per host). */
  concurrency?: number;
  /**
   * What the page gets for a queued beacon: a 2xx status, headers, a body. Default 200,
   * `{"status":1,"code":200}` as JSON, which the analytics SDKs tested take as success.
   */
  answer?: {
    /** A 2xx status. Default 200. */
    status?: number;
    /** Header names to values. Default `content-type: application/json`. */
    headers?: Record<string, string>;
    /** The body text; "" with 204. Default `{"status":1,"code":200}`. */
    body?: string;
  };
}

export interface BatchOptions {
  format: string;
  maxEntries: number;
  maxBytes: number;
  waitMs: number;
}

export interface ResolvedBeaconOptions {
  delivery: DeliveryMode;
  idParam: string | null;
  credentials: RequestCredentials | 'page';
  retry: RetrySettings;
  batch: BatchOptions | null;
  outbox: OutboxSettings;
  answer: BeaconAnswer;
}

const DAY = 86_400;

export function validateBeaconOptions(options: unknown, field: string): ResolvedBeaconOptions {
  const read = new OptionsReader(options, field);
  const delivery = read.oneOf<DeliveryMode>('delivery', 'no-cors', ['no-cors', 'cors', 'auto']);
  const idParam = read.string('idParam', '');
  const credentials = read.oneOf<RequestCredentials | 'page'>('credentials', 'page', ['page', 'omit', 'same-origin', 'include']);
  const retry: RetrySettings = {
    maxAttempts: read.integer('maxAttempts', 10, 1, 1000),
    maxAgeMs: read.seconds('maxAgeSeconds', 7 * DAY, 1, 365 * DAY),
    backoffMs: read.seconds('backoffSeconds', 1, 0.01, DAY),
    backoffMaxMs: read.seconds('backoffMaxSeconds', 300, 0.01, DAY),
  };
  const format = read.string('batch', '');
  const batch: BatchOptions = {
    format,
    maxEntries: read.integer('batchMaxEntries', 50, 2, 1000),
    maxBytes: read.integer('batchMaxBytes', KEEPALIVE_BUDGET, 1, KEEPALIVE_BUDGET),
    waitMs: read.seconds('batchWaitSeconds', 1, 0, 60),
  };
  const outbox: OutboxSettings = {
    maxEntries: read.integer('maxEntries', DEFAULT_OUTBOX_SETTINGS.maxEntries, 1, 10_000_000),
    maxBytes: read.integer('maxBytes', DEFAULT_OUTBOX_SETTINGS.maxBytes, 1024, 1024 ** 3),
    concurrency: read.integer('concurrency', DEFAULT_OUTBOX_SETTINGS.concurrency, 1, 64),
  };
  const answer = readBeaconAnswer(read.raw('answer'), `${field}.answer`);
  read.done();
  if (retry.backoffMaxMs < retry.backoffMs) {
    throw new CrossrouteError(
      'invalid-options',
      `${field}.backoffMaxSeconds`,
      process.env.NODE_ENV !== 'production' && `${field}.backoffMaxSeconds (${retry.backoffMaxMs / 1000}) is below backoffSeconds (${retry.backoffMs / 1000}); make the cap at least the first delay.`,
    );
  }
  if (format !== '' && !batchFormat(format)) {
    throw new CrossrouteError(
      'invalid-options',
      `${field}.batch`,
      process.env.NODE_ENV !== 'production' &&
        `${field}.batch: "${format}" is not a batch format. Use one of: ${batchFormatNames().join(', ')}; or register yours with registerBatchFormat() before setupCrossroute().`,
    );
  }
  return { delivery, idParam: idParam === '' ? null : idParam, credentials, retry, batch: format === '' ? null : batch, outbox, answer };
}
