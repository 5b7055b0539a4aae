import { recipeRules, type RecipeOptions } from './recipe.js';
import type { Rule } from '../sw/rules/rule.js';

export interface SnowplowRecipeOptions extends RecipeOptions {
  /** The tracker's `postPath`; default `/com.snowplowanalytics.snowplow/tp2`. */
  postPath?: string;
}

/**
 * @snowplow/browser-tracker (tested with 4.10): its POST emitter (`postPath`) and its GET emitter
 * (`/i`) are beacons; it reads nothing from the collector. Its POST is JSON, preflighted without
 * crossroute. A GET is a plain `fetch()`, which the beacon policy takes for a read: the GET emitter
 * needs the tracker's `keepalive: true`. It retries any answer but a 2xx.
 */
export function snowplow(options: SnowplowRecipeOptions): Rule[] {
  const { postPath = '/com.snowplowanalytics.snowplow/tp2', ...rest } = options;
  return recipeRules({ name: 'snowplow', beacons: [postPath, '/i'], reads: [] }, rest);
}
