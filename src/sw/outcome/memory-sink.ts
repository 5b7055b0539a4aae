import type { Outcome } from '../../model/outcome.js';
import type { OutcomeSink } from '../contract/outcome-sink.js';

/**
 * Keeps the latest outcomes in memory (lost when the worker stops): for tests and debugging. They
 * are kept as they are, URLs not redacted: nothing here is stored or broadcast (OutcomeLog redacts).
 */
export class MemorySink implements OutcomeSink {
  readonly #outcomes: Outcome[] = [];
  readonly #limit: number;

  constructor(limit = 1000) {
    this.#limit = limit;
  }

  /** Keeps the outcome, dropping the oldest beyond the limit. */
  write(outcome: Outcome): void {
    this.#outcomes.push(outcome);
    if (this.#outcomes.length > this.#limit) this.#outcomes.splice(0, this.#outcomes.length - this.#limit);
  }

  /** The outcomes kept, oldest first. */
  list(): Outcome[] {
    return [...this.#outcomes];
  }

  /** Forgets every outcome. */
  clear(): void {
    this.#outcomes.length = 0;
  }
}
