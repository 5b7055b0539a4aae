import { messageOf } from '../errors.js';
import type { OutcomeNote } from '../contract/policy.js';
import type { CompiledRule } from '../rules/compiled-rule.js';

/**
 * A failed policy must not break the page: the untouched request goes to the network, as if
 * crossroute were not there. Only when that is impossible (its body is gone) does the page get a
 * 502 that names the failure.
 */
export async function failOpen(request: Request, rule: CompiledRule, error: unknown, note: OutcomeNote): Promise<Response> {
  const reason = `${rule.name} (policy "${rule.policyName}") failed: ${messageOf(error)}`;
  note.kind = 'fallback';
  if (request.bodyUsed) {
    note.detail = `${reason}; the request body was already consumed, so it could not be retried`;
    return Response.json({ error: 'crossroute-policy-failed', rule: rule.index, reason: note.detail }, { status: 502 });
  }
  try {
    const response = await fetch(request);
    note.detail = `${reason}; sent to the network untouched`;
    return response;
  } catch (networkError) {
    note.detail = `${reason}; the network fallback failed too: ${messageOf(networkError)}`;
    return Response.error();
  }
}
