import type { ExchangeAbort } from './exchange-abort.js';

/** The web shell's: an AbortController, whose signal goes to fetch. */
export class WebAbort implements ExchangeAbort {
  private readonly controller = new AbortController();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  get reason(): unknown {
    return this.controller.signal.reason;
  }

  abort(reason: unknown): void {
    this.controller.abort(reason);
  }
}
