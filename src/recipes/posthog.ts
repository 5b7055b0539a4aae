import { recipeRules, withAndWithoutSlash, type RecipeOptions } from './recipe.js';
import type { Rule } from '../sw/rules/rule.js';

/**
 * posthog-js (tested with 1.449): events (`/e/`, `/i/v0/e/`, `/batch/`), recordings (`/s/`) and
 * logs are beacons; `/flags/` and `/decide/` (POSTs that read feature flags), the remote config
 * (`/array/<token>/config`) and `/api/**` are reads. PostHog retries any answer but 200: the beacon
 * answer's default is a 200. Bodies marked `compression=gzip-js` in the URL are sent as they are.
 */
export function posthog(options: RecipeOptions): Rule[] {
  return recipeRules(
    {
      name: 'posthog',
      beacons: [...withAndWithoutSlash(['/e/', '/i/v0/e/', '/batch/', '/s/', '/i/v1/logs', '/i/v1/metrics'])],
      reads: [...withAndWithoutSlash(['/flags/', '/decide/']), '/array/**', '/api/**'],
    },
    options,
  );
}
