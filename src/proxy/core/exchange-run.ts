import type { ExchangeAbort } from './exchange-abort.js';
import type { ExchangeRecords } from './exchange-records.js';
import type { ProxyConfig } from './proxy-config.js';
import { ProxyFailure } from './proxy-failure.js';
import type { ProxyInput } from './proxy-input.js';
import { reportExchange } from './report-exchange.js';
import type { UpstreamSummary } from './response-headers.js';

/** The exchange slots of one proxy (options.maxInFlight): each forwarded exchange holds one until it settles. */
export class InFlight {
  private count = 0;

  constructor(private readonly max: number) {}

  take(): boolean {
    if (this.count >= this.max) return false;
    this.count++;
    return true;
  }

  release(): void {
    this.count--;
  }
}

/**
 * One forwarded exchange from its admission to the last byte of its answer: options.deadlineSeconds
 * runs over all of it (the request body, every hop, the answer's body), and `settle` (once) ends
 * it, releasing the slot and writing the log entry with what really happened to the body; a body
 * cut after its status also leaves its code in `records`, under `id`, for the caller to ask.
 */
export class ExchangeRun {
  /** Sent with the answer (`x-crossroute-exchange`); random, so only that answer's caller can ask about it. */
  readonly id = crypto.randomUUID();
  private settled = false;
  private readonly timer: ReturnType<typeof setTimeout>;

  constructor(
    private readonly config: ProxyConfig,
    private readonly input: ProxyInput,
    private readonly started: number,
    private readonly slots: InFlight,
    private readonly records: ExchangeRecords,
    abort: ExchangeAbort,
  ) {
    this.timer = setTimeout(
      () => abort.abort(new ProxyFailure('upstream-timeout', 504, `the exchange did not complete within ${config.deadlineMs / 1000} s (options.deadlineSeconds).`)),
      config.deadlineMs,
    );
  }

  settle(status: number, outcome: { upstream?: UpstreamSummary; failure?: ProxyFailure }): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.slots.release();
    // A failure with the target's answer in hand is one after the status went out: the caller saw only a cut.
    if (outcome.upstream && outcome.failure) this.records.record(this.id, outcome.failure.code);
    reportExchange(this.config, this.input, this.started, status, outcome);
  }
}
