import type { ResponseType } from '../../model/outcome.js';
import { messageOf } from '../errors.js';
import { originAnswers } from '../network/origin-answers.js';
import { retryAfterMs } from './retry-after.js';
import type { SendUnit } from './send-unit.js';

/** What one send told about the beacons it carried. */
export type Verdict =
  | { kind: 'delivered'; status: number; responseType: ResponseType; redirected: boolean; detail: string; cors?: boolean }
  | { kind: 'retry'; status: number | null; responseType: ResponseType | null; network: boolean; retryAfterMs?: number; detail: string }
  | { kind: 'dropped'; status: number; responseType: ResponseType; detail: string };

export interface SendOptions {
  mode: 'no-cors' | 'cors';
  credentials: RequestCredentials;
  /** A send that takes longer is aborted and retried (it may have arrived: delivery is at-least-once). */
  timeoutMs: number;
}

export type Deliver = (unit: SendUnit, options: SendOptions) => Promise<Verdict>;

/** Sends one unit with fetch() and reads what the answer allows. */
export const deliver: Deliver = async (unit, { mode, credentials, timeoutMs }) => {
  let response: Response;
  try {
    response = await fetch(unit.url, {
      method: unit.method,
      headers: unit.headers,
      body: unit.body,
      mode,
      credentials,
      cache: 'no-store',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return mode === 'cors' ? corsFailure(unit, error) : { kind: 'retry', status: null, responseType: null, network: true, detail: `network: ${messageOf(error)}` };
  }
  const responseType = response.type as ResponseType;
  const base = { status: response.status, responseType };
  if (response.type === 'opaque') return { kind: 'delivered', ...base, redirected: false, detail: 'opaque answer: the browser delivered it (its status is hidden in no-cors mode)' };
  const cors = mode === 'cors' ? true : undefined;
  const { status } = response;
  if (status < 400) return { kind: 'delivered', ...base, redirected: response.redirected, detail: `answered ${status}`, ...(cors && { cors }) };
  if (status === 408 || status === 429 || status >= 500) {
    const after = retryAfterMs(response.headers.get('retry-after'), Date.now());
    const detail = `answered ${status}${after === undefined ? '' : `, Retry-After ${Math.round(after / 1000)} s`}`;
    return { kind: 'retry', ...base, network: false, ...(after !== undefined && { retryAfterMs: after }), detail };
  }
  return { kind: 'dropped', ...base, detail: `answered ${status}: refused, sending it again would not help` };
};

/**
 * A cors-mode send that fails is either an outage or a CORS refusal, which fetch() does not tell
 * apart. A no-cors HEAD of the same URL does (HEAD repeats no effect): if the origin answers it, the
 * beacon, a CORS simple request, reached the server before the CORS check failed, so it counts as
 * delivered, with its status unknown; sending it again would only duplicate it.
 */
async function corsFailure(unit: SendUnit, error: unknown): Promise<Verdict> {
  if (!(await originAnswers(unit.url))) {
    return { kind: 'retry', status: null, responseType: null, network: true, detail: `network: ${messageOf(error)}` };
  }
  return {
    kind: 'delivered',
    status: 0,
    responseType: 'opaque',
    redirected: false,
    cors: false,
    detail: 'the origin answered without CORS headers: it got the beacon, but its status is unreadable; use delivery "no-cors" (or "auto") for this endpoint',
  };
}
