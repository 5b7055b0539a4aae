import type { ProxyErrorCode } from './proxy-failure.js';

/** How long a cut exchange's code is kept for its caller to ask (`?exchange=<id>`). */
const KEPT_MS = 60_000;
/** At most this many are kept, the oldest going first: memory stays bounded whatever the traffic. */
const MAX_KEPT = 1024;

/**
 * The codes of exchanges whose body failed after their status went out, by exchange id (the
 * answer's `x-crossroute-exchange`). Such a cut is only an error on the caller's stream, the same
 * for every cause, and engines may drop the bytes before it: this is where the worker learns the
 * cause. Ids are random (122 bits), so only the caller that got the answer can ask.
 */
export class ExchangeRecords {
  /** Insertion order is age order: the first entry is the oldest. */
  readonly #codes = new Map<string, { code: ProxyErrorCode; at: number }>();

  record(id: string, code: ProxyErrorCode, now = Date.now()): void {
    this.#codes.set(id, { code, at: now });
    for (const [oldest, { at }] of this.#codes) {
      if (this.#codes.size <= MAX_KEPT && now - at < KEPT_MS) break;
      this.#codes.delete(oldest);
    }
  }

  find(id: string, now = Date.now()): ProxyErrorCode | undefined {
    const found = this.#codes.get(id);
    return found && now - found.at < KEPT_MS ? found.code : undefined;
  }
}
