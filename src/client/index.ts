export { registerCrossroute, type RegisterOptions } from './register.js';
export type { Outcome, OutcomeKind, ResponseType } from '../model/outcome.js';
