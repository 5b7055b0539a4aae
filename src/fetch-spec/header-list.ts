import { FetchSpecError } from './errors.js';
import { assertByteString, isHttpToken, normalizeHeaderValue } from './http-syntax.js';

/** Header entry with a lower-cased name and a normalized byte-string value. */
export interface Header {
  /** Lower-cased. */
  readonly name: string;
  /** Normalized: no leading or trailing whitespace. */
  readonly value: string;
}

/** Same shapes fetch() accepts: pairs (arrays, Map, a Headers object) or a plain record. */
export type HeaderListInit = Iterable<readonly [string, string]> | Readonly<Record<string, string>>;

function isIterable(init: HeaderListInit): init is Iterable<readonly [string, string]> {
  return typeof (init as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function';
}

/**
 * The header list the Headers constructor would build: one entry per pair, duplicates kept,
 * values normalized, invalid names or values rejected as fetch() rejects them.
 */
export function toHeaderList(init: HeaderListInit): Header[] {
  const pairs = isIterable(init) ? Array.from(init) : Object.entries(init);
  return pairs.map(([name, rawValue]) => {
    if (!isHttpToken(name)) {
      throw new FetchSpecError(
        'invalid-header-name',
        `header name "${name}" is not an HTTP token: use only letters, digits and !#$%&'*+-.^_\`|~`,
      );
    }
    const value = normalizeHeaderValue(rawValue);
    assertByteString(value, `header "${name}" value`);
    if (/[\0\n\r]/.test(value)) {
      throw new FetchSpecError(
        'invalid-header-value',
        `header "${name}" value contains NUL, CR or LF: remove them (a header value is a single line)`,
      );
    }
    return { name: name.toLowerCase(), value };
  });
}
