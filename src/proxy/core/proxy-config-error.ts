/** Thrown at startup for options the proxy will not run with: a stable `code` and a message that names the field and the fix. */
export class ProxyConfigError extends Error {
  /** Always "ProxyConfigError". */
  override readonly name = 'ProxyConfigError';

  constructor(
    /** What is wrong with the options. */
    readonly code: 'invalid-option' | 'unknown-option' | 'no-targets',
    message: string,
  ) {
    super(message);
  }
}
