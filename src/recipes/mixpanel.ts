import { recipeRules, withAndWithoutSlash, type RecipeOptions } from './recipe.js';
import type { Rule } from '../sw/rules/rule.js';

/**
 * mixpanel-browser (tested with 2.83): `/track/`, `/engage/`, `/groups/` and `/record/` are beacons;
 * `/flags/` and `/settings/` are reads. Mixpanel hands any answer but a 200 to its error reporter,
 * and its batches parse the body as JSON: the beacon answer's default (`{"status":1}`) is what it expects.
 */
export function mixpanel(options: RecipeOptions): Rule[] {
  return recipeRules(
    { name: 'mixpanel', beacons: withAndWithoutSlash(['/track/', '/engage/', '/groups/', '/record/']), reads: withAndWithoutSlash(['/flags/', '/settings/']) },
    options,
  );
}
