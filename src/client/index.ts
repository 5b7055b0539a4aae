export { registerCrossroute, type RegisterOptions } from './register.js';
export type { Outcome, OutcomeKind, ResponseType } from '../model/outcome.js';
export { openOutcomeLog, type OutcomeLogReader } from './log/open-outcome-log.js';
export { watchOutcomes } from './log/watch-outcomes.js';
export type { OutcomeQuery, OutcomePage, OutcomeSummary, OutcomeStats, StoredOutcome } from '../log/index.js';
export { beacon, type BeaconData, type BeaconOptions, type BeaconResult } from './beacon.js';
export { clearOutbox, deliverNow, outboxState, relayOnline, type RelayOptions } from './outbox.js';
export type { DeliveryReport, OutboxState, OutboxTotals } from '../model/outbox-state.js';
