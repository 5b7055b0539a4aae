import type { Policy, PolicyFactory } from '../contract/policy.js';
import { OptionsReader } from './options.js';

/** The network, as is; the point is the outcome record. A network failure is passed on, as the browser would. */
export const passthrough: PolicyFactory<Record<string, never>, Record<string, never>> = {
  name: 'passthrough',
  validate(options, field) {
    new OptionsReader(options, field).done();
    return {};
  },
  create(): Policy {
    return {
      async handle({ request, params }) {
        try {
          return await fetch(request);
        } catch (error) {
          params.note({ kind: 'network-error', detail: error instanceof Error ? error.message : String(error) });
          return Response.error();
        }
      },
    };
  },
};
