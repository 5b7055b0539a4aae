// Why a request is not a CORS simple request. Each reason names the rule it breaks.

export interface MethodReason {
  readonly code: 'method';
  readonly method: string;
  readonly message: string;
}

export interface StreamBodyReason {
  readonly code: 'stream-body';
  readonly message: string;
}

export interface HeaderNameReason {
  readonly code: 'header';
  readonly name: string;
  readonly message: string;
}

export interface AuthorizationReason {
  readonly code: 'authorization';
  readonly message: string;
}

export interface ValueTooLongReason {
  readonly code: 'value-too-long';
  readonly name: string;
  readonly bytes: number;
  readonly message: string;
}

export interface UnsafeByteReason {
  readonly code: 'unsafe-byte';
  readonly name: string;
  readonly byte: number;
  readonly message: string;
}

export interface ContentTypeReason {
  readonly code: 'content-type';
  /** null when the value does not parse as a MIME type at all. */
  readonly essence: string | null;
  readonly message: string;
}

export interface RangeReason {
  readonly code: 'range';
  readonly value: string;
  readonly message: string;
}

export interface SafelistedTotalReason {
  readonly code: 'safelisted-total-over-1024';
  readonly bytes: number;
  /** The otherwise-safelisted headers that this rule turns unsafe. */
  readonly names: readonly string[];
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

export type PreflightReason = MethodReason | StreamBodyReason | HeaderReason | SafelistedTotalReason;
