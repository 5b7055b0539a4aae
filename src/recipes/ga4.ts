import { recipeRules, type RecipeOptions } from './recipe.js';
import type { Rule } from '../sw/rules/rule.js';

/**
 * GA4 (gtag.js): `/g/collect` hits are beacons (`navigator.sendBeacon`, or a keepalive `fetch()` when
 * sendBeacon refuses), on the origin gtag sends to (`https://www.google-analytics.com`,
 * `https://region1.google-analytics.com`, or a pattern such as `https://*.google-analytics.com`).
 * Tested with a gtag-style hit (gtag.js is not on npm), not with gtag.js itself.
 */
export function ga4(options: RecipeOptions): Rule[] {
  return recipeRules({ name: 'ga4', beacons: ['/g/collect'], reads: [] }, options);
}
