import type { CorsReason } from './reasons.js';

/** One check of a response that fails, and the header lines that make it pass. */
export interface CheckFailure {
  readonly reason: CorsReason;
  readonly message: string;
  /** Header lines the answer must carry (`Access-Control-Allow-Methods: PUT`); empty when no header fixes it. */
  readonly needs: readonly string[];
}
