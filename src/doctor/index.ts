export { diagnose } from './diagnose.js';
export { DoctorError, type DoctorField } from './errors.js';
export { type CorsReason, REASON_TEXT } from './reasons.js';
export type {
  CredentialsMode,
  DoctorRequest,
  DoctorOptions,
  SentRequest,
  ReceivedResponse,
  DoctorStep,
  DoctorFailure,
  Diagnosis,
} from './types.js';
