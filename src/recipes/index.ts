/**
 * crossroute/recipes: tested rule sets for analytics SDKs, for setupCrossroute({ rules }). Each
 * keeps the SDK's reads (config, feature flags) away from the beacon policy, which answers without
 * the network; see the README's Recipes section for what each was tested with.
 */
export { posthog } from './posthog.js';
export { mixpanel } from './mixpanel.js';
export { amplitude } from './amplitude.js';
export { segment, type SegmentRecipeOptions } from './segment.js';
export { snowplow, type SnowplowRecipeOptions } from './snowplow.js';
export { plausible } from './plausible.js';
export { ga4 } from './ga4.js';
export type { RecipeOptions } from './recipe.js';
