import { block } from './block.js';
import { cors } from './cors.js';
import { passthrough } from './passthrough.js';
import type { PolicyRegistry } from './policy.js';

/** The policies every setup knows; an app adds its own through setup({ policies }). */
export const builtinPolicies: PolicyRegistry = { passthrough, cors, block };
