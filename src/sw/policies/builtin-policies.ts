import { beacon } from './beacon.js';
import { block } from './block.js';
import { cors } from './cors.js';
import { opaqueCache } from './opaque-cache.js';
import { passthrough } from './passthrough.js';
import { proxy } from './proxy.js';
import type { PolicyRegistry } from './policy.js';

/** The policies every setup knows; an app adds its own through setup({ policies }). */
export const builtinPolicies: PolicyRegistry = { passthrough, cors, block, 'opaque-cache': opaqueCache, beacon, proxy };
