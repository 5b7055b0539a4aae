/** The codes crossroute's worker code throws with; each is listed in the README with its fix. */
export type CrossrouteErrorCode =
  | 'invalid-rules'
  | 'invalid-rule'
  | 'invalid-policy'
  | 'policy-name-taken'
  | 'invalid-match'
  | 'invalid-origin'
  | 'invalid-path'
  | 'invalid-options'
  | 'unknown-key'
  | 'invalid-batch-format'
  | 'batch-format-taken'
  | 'beacon-too-large'
  | 'unsupported-encoding';

/**
 * Every error crossroute throws at setup: a stable `code` to branch on, the `field` at fault, and,
 * in the development build, a message that says the fix. Call sites pass the message behind
 * `process.env.NODE_ENV !== 'production' &&`, so a production bundle carries codes, not prose.
 */
export class CrossrouteError extends Error {
  /** Always "CrossrouteError". */
  override readonly name = 'CrossrouteError';
  constructor(
    /** What went wrong; stable, for code to test. */
    readonly code: CrossrouteErrorCode,
    /** Where the bad input is, e.g. `rules[2].options.status`. */
    readonly field: string,
    explanation: string | false,
  ) {
    super(explanation || `${code} at ${field} (the development build explains; the README lists every code)`);
  }
}

/** An error as one line for outcome details and logs. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
