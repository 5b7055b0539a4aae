import { recipeRules, type RecipeOptions } from './recipe.js';
import type { Rule } from '../sw/rules/rule.js';

/** The segment recipe's options: the API's and the settings CDN's origins. */
export interface SegmentRecipeOptions extends RecipeOptions {
  /** Where analytics-next reads its settings (`cdnURL`); default `https://cdn.segment.com`. */
  cdn?: string;
}

/**
 * @segment/analytics-next (tested with 1.84): the API's `/v1/<t|p|i|g|a|s>` calls, batches
 * (`/v1/b`, `/v1/batch`) and metrics (`/v1/m`) are beacons; its settings
 * (`/v1/projects/<writeKey>/settings` on the CDN) are a read, needed before any event is sent.
 */
export function segment(options: SegmentRecipeOptions): Rule[] {
  const { cdn = 'https://cdn.segment.com', ...api } = options;
  return [
    ...recipeRules({ name: 'segment:cdn', beacons: [], reads: ['/v1/projects/*/settings'] }, { ...api, origin: cdn }),
    ...recipeRules({ name: 'segment', beacons: ['t', 'p', 'i', 'g', 'a', 's', 'b', 'batch', 'm'].map((call) => `/v1/${call}`), reads: [] }, api),
  ];
}
