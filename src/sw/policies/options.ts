import { CrossrouteError } from '../errors.js';
import { describe, isPlainObject } from '../rules/validate-rules.js';

/**
 * Reads a policy's options object field by field; every refusal names the field and the fix.
 * Unknown fields are refused so that a misspelt option never silently falls back to a default.
 */
export class OptionsReader {
  private readonly seen = new Set<string>();

  constructor(
    private readonly options: unknown,
    private readonly field: string,
  ) {
    if (!isPlainObject(options)) throw new CrossrouteError('invalid-options', `${field} must be an object (got ${describe(options)}).`);
  }

  private take(key: string): unknown {
    this.seen.add(key);
    return (this.options as Record<string, unknown>)[key];
  }

  /** The value as given (undefined when absent), for a reader of its own. */
  raw(key: string): unknown {
    return this.take(key);
  }

  integer(key: string, fallback: number, min: number, max: number): number {
    const value = this.take(key) ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new CrossrouteError('invalid-options', `${this.field}.${key} must be a whole number from ${min} to ${max} (got ${describe(value)}).`);
    }
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.take(key) ?? fallback;
    if (typeof value !== 'boolean') throw new CrossrouteError('invalid-options', `${this.field}.${key} must be true or false (got ${describe(value)}).`);
    return value;
  }

  string(key: string, fallback: string): string {
    const value = this.take(key) ?? fallback;
    if (typeof value !== 'string') throw new CrossrouteError('invalid-options', `${this.field}.${key} must be a string (got ${describe(value)}).`);
    return value;
  }

  /** A string, or false to switch the feature off. */
  stringOrFalse(key: string, fallback: string): string | false {
    const value = this.take(key) ?? fallback;
    if (value !== false && typeof value !== 'string') {
      throw new CrossrouteError('invalid-options', `${this.field}.${key} must be a string, or false to switch it off (got ${describe(value)}).`);
    }
    return value;
  }

  oneOf<T extends string>(key: string, fallback: T, allowed: readonly T[]): T {
    const value = this.take(key) ?? fallback;
    if (!allowed.includes(value as T)) {
      throw new CrossrouteError('invalid-options', `${this.field}.${key} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')} (got ${describe(value)}).`);
    }
    return value as T;
  }

  /** Call last: refuses any field no reader asked for. */
  done(): void {
    for (const key of Object.keys(this.options as object)) {
      if (!this.seen.has(key)) {
        throw new CrossrouteError('unknown-key', `${this.field}.${key} is not an option of this policy. Known options: ${[...this.seen].join(', ') || 'none'}.`);
      }
    }
  }
}
