/** The field of a DoctorRequest that is at fault. */
export type DoctorField = 'url' | 'origin' | 'method' | 'headers' | 'credentials' | 'read' | 'body' | 'maxRedirects';

/** Bad input to diagnose(): thrown before anything is sent, naming the field and the fix. */
export class DoctorError extends Error {
  override readonly name = 'DoctorError';
  readonly code = 'invalid-request';
  readonly field: DoctorField;

  constructor(field: DoctorField, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}
