export { OutcomeLog, type LogStatus } from './outcome-log.js';
export { REDACT_PARAMS, type OutcomeLogOptions } from './log-options.js';
export { OutcomeLogPlugin, type OutcomeLogPluginOptions } from './outcome-log-plugin.js';
