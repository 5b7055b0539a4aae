import type { Outcome } from '../../model/outcome.js';

/**
 * Where outcomes go. Called off the response path (inside the fetch event's waitUntil); a sink
 * that throws or rejects loses that record only: routing goes on.
 */
export interface OutcomeSink {
  write(outcome: Outcome): void | Promise<void>;
}
