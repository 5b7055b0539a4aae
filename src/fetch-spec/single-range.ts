export interface SingleRange {
  readonly start: bigint | null;
  readonly end: bigint | null;
}

// `bytes=` start? `-` end? with no whitespace allowed: what browsers emit.
const SINGLE_RANGE = /^bytes=([0-9]*)-([0-9]*)$/;

/**
 * Fetch "parse a single range header value" with allowWhitespace false, or null on failure.
 * bigint because the digits are unbounded and start > end must be compared exactly.
 */
export function parseSingleRange(value: string): SingleRange | null {
  const match = SINGLE_RANGE.exec(value);
  if (match === null) return null;
  const start = match[1] ? BigInt(match[1]) : null;
  const end = match[2] ? BigInt(match[2]) : null;
  if (start === null && end === null) return null;
  if (start !== null && end !== null && start > end) return null;
  return { start, end };
}
