import { describe, expect, it } from 'vitest';
import { CrossrouteError } from '../../../src/sw/errors.js';
import { addStaticRoutes } from '../../../src/sw/route/static-routes.js';
import type { Crossroute } from '../../../src/sw/setup.js';

describe('addStaticRoutes', () => {
  const crossroute = { rules: [] } as unknown as Crossroute;
  it.each([['everything'], [[]], [['/static/*']], [[42]], [undefined]])('refuses appLeaves %j, naming the field, before anything is registered', (appLeaves) => {
    let thrown: unknown;
    try {
      addStaticRoutes(crossroute, { appLeaves } as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CrossrouteError);
    expect(thrown).toMatchObject({ code: 'invalid-options', field: 'addStaticRoutes(crossroute, options).appLeaves' });
    expect(String((thrown as Error).message)).toContain("'cross-origin' or a non-empty array of full URL patterns");
  });
});
