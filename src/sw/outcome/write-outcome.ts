import type { Outcome } from '../../model/outcome.js';
import type { OutcomeSink } from '../contract/outcome-sink.js';
import { logger } from '../logger.js';

/** Hands one outcome to a sink; a sink that throws or rejects loses that record only (logged in development). */
export async function writeOutcome(sink: OutcomeSink, outcome: Outcome): Promise<void> {
  try {
    await sink.write(outcome);
  } catch (error) {
    if (process.env.NODE_ENV !== 'production') logger.error('the outcome sink failed; this outcome is lost, crossroute goes on', error);
  }
}
