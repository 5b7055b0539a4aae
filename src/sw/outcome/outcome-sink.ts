import type { Outcome } from '../../model/outcome.js';
import { logger } from '../logger.js';

/**
 * Where outcomes go. Called off the response path (inside the fetch event's waitUntil); a sink
 * that throws or rejects loses that record only: routing goes on.
 */
export interface OutcomeSink {
  /** Receives one outcome; the dispatcher awaits a returned promise inside the fetch event's waitUntil. */
  write(outcome: Outcome): void | Promise<void>;
}

/** Hands one outcome to a sink; a sink that throws or rejects loses that record only (logged in development). */
export async function writeOutcome(sink: OutcomeSink, outcome: Outcome): Promise<void> {
  try {
    await sink.write(outcome);
  } catch (error) {
    if (process.env.NODE_ENV !== 'production') logger.error('the outcome sink failed; this outcome is lost, crossroute goes on', error);
  }
}
