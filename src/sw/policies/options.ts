import { CrossrouteError } from '../errors.js';
import { describe, isPlainObject } from '../rules/validate-rules.js';

// Options people bring from Workbox or from earlier versions, and what to write instead. Read only
// by development-build messages, so production bundles leave the table out.
const INSTEAD: Readonly<Record<string, string>> = {
  plugins: 'crossroute policies take no Workbox plugins; to combine them, route with a Workbox strategy and its plugins, and log it with OutcomeLogPlugin',
  cacheableResponse: 'opaque-cache stores what it may by itself (opaque answers only for no-cors requests; readable ones when 2xx); see corsCheck',
  expiration: 'opaque-cache bounds itself: maxEntries, maxAgeSeconds, maxBytes',
  matchOptions: 'opaque-cache matches by URL without its fragment, with opaque and readable entries kept apart, so it takes no matchOptions',
  maxAgeMs: 'durations are in seconds: maxAgeSeconds',
  maxAgeDays: 'durations are in seconds: maxAgeSeconds',
  maxRecords: 'counts are maxEntries',
  backoffMs: 'durations are in seconds: backoffSeconds',
  backoffMaxMs: 'durations are in seconds: backoffMaxSeconds',
  batchWaitMs: 'durations are in seconds: batchWaitSeconds',
  flushDelayMs: 'durations are in seconds: flushDelaySeconds',
};

/**
 * Reads a policy's options object field by field; every refusal names the field and the fix.
 * Unknown fields are refused so that a misspelt option never silently falls back to a default.
 */
export class OptionsReader {
  readonly #seen = new Set<string>();
  readonly #options: unknown;
  readonly #field: string;

  constructor(
    options: unknown,
    field: string,
  ) {
    this.#options = options;
    this.#field = field;
    if (!isPlainObject(options)) throw new CrossrouteError('invalid-options', field, process.env.NODE_ENV !== 'production' && `${field} must be an object (got ${describe(options)}).`);
  }

  #take(key: string): unknown {
    this.#seen.add(key);
    return (this.#options as Record<string, unknown>)[key];
  }

  // `expected` is false in production builds: each caller tests NODE_ENV too, so its prose is left out.
  #refuse(key: string, value: unknown, expected: string | false): never {
    throw new CrossrouteError('invalid-options', `${this.#field}.${key}`, process.env.NODE_ENV !== 'production' && `${this.#field}.${key} must be ${expected} (got ${describe(value)}).`);
  }

  /** The value as given (undefined when absent), for a reader of its own. */
  raw(key: string): unknown {
    return this.#take(key);
  }

  /** A whole number from `min` to `max`; `fallback` when absent. */
  integer(key: string, fallback: number, min: number, max: number): number {
    const value = this.#take(key) ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) this.#refuse(key, value, process.env.NODE_ENV !== 'production' && `a whole number from ${min} to ${max}`);
    return value;
  }

  /** A duration given in seconds (fractions allowed), returned in milliseconds. */
  seconds(key: string, fallback: number, min: number, max: number): number {
    const value = this.#take(key) ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) this.#refuse(key, value, process.env.NODE_ENV !== 'production' && `a number of seconds from ${min} to ${max}`);
    return Math.round(value * 1000);
  }

  /** true or false; `fallback` when absent. */
  boolean(key: string, fallback: boolean): boolean {
    const value = this.#take(key) ?? fallback;
    if (typeof value !== 'boolean') this.#refuse(key, value, process.env.NODE_ENV !== 'production' && 'true or false');
    return value;
  }

  /** A string; `fallback` when absent. */
  string(key: string, fallback: string): string {
    const value = this.#take(key) ?? fallback;
    if (typeof value !== 'string') this.#refuse(key, value, process.env.NODE_ENV !== 'production' && 'a string');
    return value;
  }

  /** A string, or false to switch the feature off. */
  stringOrFalse(key: string, fallback: string): string | false {
    const value = this.#take(key) ?? fallback;
    if (value !== false && typeof value !== 'string') this.#refuse(key, value, process.env.NODE_ENV !== 'production' && 'a string, or false to switch it off');
    return value;
  }

  /** An object whose contents the caller checks (or hands on as is). */
  object<T extends object>(key: string): T | undefined {
    const value = this.#take(key);
    if (value !== undefined && !isPlainObject(value)) this.#refuse(key, value, process.env.NODE_ENV !== 'production' && 'an object');
    return value as T | undefined;
  }

  /** One of the `allowed` strings; `fallback` when absent. */
  oneOf<T extends string>(key: string, fallback: T, allowed: readonly T[]): T {
    const value = this.#take(key) ?? fallback;
    if (!allowed.includes(value as T)) this.#refuse(key, value, process.env.NODE_ENV !== 'production' && `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}${workboxName(value, allowed)}`);
    return value as T;
  }

  /** Call last: refuses any field no reader asked for. */
  done(): void {
    for (const key of Object.keys(this.#options as object)) {
      if (!this.#seen.has(key)) {
        throw new CrossrouteError(
          'unknown-key',
          `${this.#field}.${key}`,
          process.env.NODE_ENV !== 'production' &&
            `${this.#field}.${key} is not an option of this policy.${Object.hasOwn(INSTEAD, key) ? ` ${INSTEAD[key]}.` : ''} Known options: ${[...this.#seen].join(', ') || 'none'}.`,
        );
      }
    }
  }
}

/** Workbox names strategies as classes (CacheFirst); crossroute names them as words (cache-first). */
function workboxName(value: unknown, allowed: readonly string[]): string {
  const kebab = typeof value === 'string' ? value.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase() : '';
  return allowed.includes(kebab) ? `; "${String(value)}" is Workbox's name, crossroute's is "${kebab}"` : '';
}
