import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../../src/model/outcome.js';
import type { OutcomeNote, Policy } from '../../../src/sw/contract/policy.js';
import type { CompiledRule } from '../../../src/sw/rules/compiled-rule.js';
import { PolicyDispatcher } from '../../../src/sw/route/policy-dispatcher.js';

/** Runs `policy` through the dispatcher and resolves with the page's response and the outcome written. */
async function dispatch(policy: Policy): Promise<{ response: Response; outcome: Promise<Outcome> }> {
  let written!: (outcome: Outcome) => void;
  const outcome = new Promise<Outcome>((resolve) => (written = resolve));
  const rule = { index: 0, name: 'rule 0', policyName: 'test', policy } as CompiledRule;
  const dispatcher = new PolicyDispatcher({ write: async (o) => written(o) });
  const request = new Request('https://api.example/data');
  const response = await dispatcher.run(rule, { request, url: new URL(request.url), event: undefined as never });
  return { response, outcome };
}

const settleLater = (): { promise: Promise<OutcomeNote>; settle: (note: OutcomeNote) => void } => {
  let settle!: (note: OutcomeNote) => void;
  return { promise: new Promise((resolve) => (settle = resolve)), settle };
};

describe('PolicyDispatcher: notes held until later', () => {
  it('answers the page at once and writes the outcome once every held note has settled, merged in call order', async () => {
    const first = settleLater();
    const second = settleLater();
    const { response, outcome } = await dispatch({
      async handle({ params: { note, noteLater } }) {
        note({ detail: 'answered' });
        noteLater?.(first.promise);
        noteLater?.(second.promise);
        return new Response('ok');
      },
    });
    expect(await response.text()).toBe('ok');
    let done = false;
    void outcome.then(() => (done = true));
    first.settle({ detail: 'body delivered', reason: 'A' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(done).toBe(false);
    second.settle({ reason: 'B', fix: 'send the header' });
    expect(await outcome).toMatchObject({ detail: 'answered; body delivered', reason: 'B', fix: 'send the header' });
  });
});
