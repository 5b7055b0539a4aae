import { recipeRules, type RecipeOptions } from './recipe.js';
import type { Rule } from '../sw/rules/rule.js';

/**
 * plausible-tracker (tested with 0.3.9): `/api/event` is its one request, a beacon (an XHR POST of
 * `text/plain` JSON, already a simple request, which fails its CORS check without crossroute). It
 * reads nothing and does not look at the answer.
 */
export function plausible(options: RecipeOptions): Rule[] {
  return recipeRules({ name: 'plausible', beacons: ['/api/event'], reads: [] }, options);
}
