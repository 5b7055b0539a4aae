import type { Outcome } from '../../model/outcome.js';

/**
 * Where outcomes go. Called off the response path (inside the fetch event's waitUntil); a sink
 * that throws or rejects loses that record only: routing goes on.
 */
export interface OutcomeSink {
  /** Receives one outcome; the dispatcher awaits a returned promise inside the fetch event's waitUntil. */
  write(outcome: Outcome): void | Promise<void>;
}
