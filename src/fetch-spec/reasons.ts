// Why a request is not a CORS simple request. Each reason names the rule it breaks.

/** The method is not GET, HEAD or POST. */
export interface MethodReason {
  /** What kind of reason this is. */
  readonly code: 'method';
  /** The request's method, normalized. */
  readonly method: string;
  /** A sentence for people: the rule broken and what to change. */
  readonly message: string;
}

/** The body is a ReadableStream, which always needs a preflight. */
export interface StreamBodyReason {
  /** What kind of reason this is. */
  readonly code: 'stream-body';
  /** A sentence for people: the rule broken and what to change. */
  readonly message: string;
}

/** The header's name is not on the CORS safelist. */
export interface HeaderNameReason {
  /** What kind of reason this is. */
  readonly code: 'header';
  /** The header's name, lowercased. */
  readonly name: string;
  /** A sentence for people: the rule broken and what to change. */
  readonly message: string;
}

/** An Authorization header, which is never safelisted. */
export interface AuthorizationReason {
  /** What kind of reason this is. */
  readonly code: 'authorization';
  /** A sentence for people: the rule broken and what to change. */
  readonly message: string;
}

/** A safelisted header's value is longer than 128 bytes. */
export interface ValueTooLongReason {
  /** What kind of reason this is. */
  readonly code: 'value-too-long';
  /** The header's name, lowercased. */
  readonly name: string;
  /** The value's length in bytes. */
  readonly bytes: number;
  /** A sentence for people: the rule broken and what to change. */
  readonly message: string;
}

/** A safelisted header's value holds a CORS-unsafe request-header byte. */
export interface UnsafeByteReason {
  /** What kind of reason this is. */
  readonly code: 'unsafe-byte';
  /** The header's name, lowercased. */
  readonly name: string;
  /** The first unsafe byte found. */
  readonly byte: number;
  /** A sentence for people: the rule broken and what to change. */
  readonly message: string;
}

/** The Content-Type's essence is not one of the three a simple request may send. */
export interface ContentTypeReason {
  /** What kind of reason this is. */
  readonly code: 'content-type';
  /** null when the value does not parse as a MIME type at all. */
  readonly essence: string | null;
  /** A sentence for people: the rule broken and what to change. */
  readonly message: string;
}

/** A Range header that is not one simple byte range. */
export interface RangeReason {
  /** What kind of reason this is. */
  readonly code: 'range';
  /** The Range header's value. */
  readonly value: string;
  /** A sentence for people: the rule broken and what to change. */
  readonly message: string;
}

/** The safelisted headers' values add up to more than 1024 bytes. */
export interface SafelistedTotalReason {
  /** What kind of reason this is. */
  readonly code: 'safelisted-total-over-1024';
  /** The values' total length in bytes. */
  readonly bytes: number;
  /** The otherwise-safelisted headers that this rule turns unsafe. */
  readonly names: readonly string[];
  /** A sentence for people: the rule broken and what to change. */
  readonly message: string;
}

/** Why a single header is not a CORS-safelisted request-header. */
export type HeaderReason =
  | HeaderNameReason
  | AuthorizationReason
  | ValueTooLongReason
  | UnsafeByteReason
  | ContentTypeReason
  | RangeReason;

/** Why a request is not a CORS simple request, so the browser sends a preflight first. */
export type PreflightReason = MethodReason | StreamBodyReason | HeaderReason | SafelistedTotalReason;
