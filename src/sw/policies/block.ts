import type { Policy, PolicyFactory } from '../contract/policy.js';
import { OptionsReader } from './options.js';

/** Options of the `block` policy. */
export interface BlockOptions {
  /** Status of the synthetic refusal; default 403. */
  status?: number;
  /** Said in the response and the outcome; default "blocked by crossroute". */
  reason?: string;
}

/**
 * Refuses without touching the network. The refusal is a readable synthetic response (never a
 * network error), so page code can tell a policy decision from an outage and see which rule decided.
 */
export const block: PolicyFactory<BlockOptions, Required<BlockOptions>> = {
  name: 'block',
  validate(options, field) {
    const read = new OptionsReader(options, field);
    const validated = { status: read.integer('status', 403, 400, 599), reason: read.string('reason', 'blocked by crossroute') };
    read.done();
    return validated;
  },
  create({ status, reason }): Policy {
    return {
      readsBody: false,
      async handle({ params: { rule, note } }) {
        const detail = `${reason} (${rule.name})`;
        note({ kind: 'blocked', detail });
        return Response.json(
          { error: 'crossroute-blocked', rule: rule.index, name: rule.name, reason },
          { status, headers: { 'x-crossroute-rule': String(rule.index) } },
        );
      },
    };
  },
};
