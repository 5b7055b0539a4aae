/** Every error crossroute throws at setup: a stable `code` to branch on and a message that says the fix. */
export class CrossrouteError extends Error {
  override readonly name = 'CrossrouteError';
  constructor(
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
