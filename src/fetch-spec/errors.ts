/** What a FetchSpecError is about; stable, for code to test. */
export type FetchSpecErrorCode =
  | 'invalid-url'
  | 'missing-client-origin'
  | 'invalid-method'
  | 'forbidden-method'
  | 'invalid-header-name'
  | 'invalid-header-value'
  | 'header-value-not-bytes'
  | 'body-with-get-or-head'
  | 'method-not-simple';

/** Raised where fetch() itself would throw a TypeError, or where a request cannot be classified. */
export class FetchSpecError extends Error {
  /** Always "FetchSpecError". */
  override readonly name = 'FetchSpecError';
  /** What the error is about. */
  readonly code: FetchSpecErrorCode;

  constructor(code: FetchSpecErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
