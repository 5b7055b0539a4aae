/** Every error crossroute throws at setup: a stable `code` to branch on and a message that says the fix. */
export class CrossrouteError extends Error {
  /** Always "CrossrouteError". */
  override readonly name = 'CrossrouteError';
  constructor(
    /** What went wrong, stable for code to test (e.g. `invalid-options`). */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** An error as one line for outcome details and logs. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
