export { LOG_DB_NAME, LOG_SCHEMA_VERSION, type StoredOutcome, type LogDatabase, type LogSchema } from './schema.js';
export { queryOutcomes, type OutcomeFilter, type OutcomeQuery, type OutcomePage } from './query.js';
export { summarize, summarizeLog, type OutcomeStats, type OutcomeSummary } from './summarize.js';
export { readAll } from './read-all.js';
export { exportNdjson } from './export-ndjson.js';
