/** The field of a DoctorRequest that is at fault. */
export type DoctorField = 'url' | 'origin' | 'method' | 'headers' | 'credentials' | 'read' | 'body' | 'maxRedirects';

/** Bad input to diagnose(): thrown before anything is sent, naming the field and the fix. */
export class DoctorError extends Error {
  /** Always "DoctorError". */
  override readonly name = 'DoctorError';
  /** Always "invalid-request": the request to diagnose is malformed. */
  readonly code = 'invalid-request';
  /** The field at fault. */
  readonly field: DoctorField;

  constructor(field: DoctorField, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}
