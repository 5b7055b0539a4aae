/**
 * How an exchange is cut short: the timeout, the caller going away, a body over its limit. Each
 * shell listens in its own form: the web shell's fetch an AbortSignal, the Node shell an
 * EventEmitter (an EventTarget listener costs Node 20 several µs a request).
 */
export interface ExchangeAbort {
  readonly aborted: boolean;
  readonly reason: unknown;
  /** The first call wins; later ones do nothing. */
  abort(reason: unknown): void;
}
