import { recipeRules, type RecipeOptions } from './recipe.js';
import type { Rule } from '../sw/rules/rule.js';

/**
 * @amplitude/analytics-browser (tested with 2.48): `/2/httpapi` and `/batch` are beacons; it reads
 * nothing from the API origin (its remote config has a host of its own). Its JSON body is
 * preflighted without crossroute; with `enableRequestBodyCompression` it is gzipped with
 * `Content-Encoding: gzip`, which the beacon policy decodes before sending it as a simple request.
 * Its transport reads the answer's `code`: the beacon answer's default carries `"code":200`.
 */
export function amplitude(options: RecipeOptions): Rule[] {
  return recipeRules({ name: 'amplitude', beacons: ['/2/httpapi', '/batch'], reads: [] }, options);
}
