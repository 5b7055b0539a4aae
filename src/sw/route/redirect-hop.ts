import type { OutcomeNote } from '../contract/policy.js';
import type { CompiledRule } from '../rules/compiled-rule.js';

/** The rule the rules give a URL that a request was redirected to, with the request's other traits. */
export type HopMatcher = (url: URL, request: Request) => CompiledRule | undefined;

/**
 * A policy's fetch() follows redirects inside the browser, and a worker cannot learn a redirect's
 * target before it is followed (Fetch: atomic HTTP redirect handling; `redirect: 'manual'` yields an
 * opaque-redirect response without its Location). What the worker can see is where a readable
 * response ended (`response.url`): when the rules give that URL to another rule, that rule's policy
 * answers instead, with a GET of the final URL, so a `block` rule's refusal is what the page reads.
 * Returns undefined when the response stands.
 */
export async function rerouteHop(response: Response, request: Request, event: ExtendableEvent, rule: CompiledRule, hopRule: HopMatcher, note: (n: OutcomeNote) => void): Promise<Response | undefined> {
  if (!response.redirected || !response.url) return undefined;
  const hop = hopRule(new URL(response.url), request);
  if (!hop || hop === rule) return undefined;
  const hopRequest = new Request(response.url, {
    headers: request.headers,
    mode: request.mode === 'navigate' ? 'same-origin' : request.mode,
    credentials: request.credentials,
    signal: request.signal,
  });
  const hopNote: OutcomeNote = {};
  const answer = await hop.policy.handle({ request: hopRequest, event, url: new URL(response.url), params: { rule: hop, note: (n) => Object.assign(hopNote, n) } });
  void response.body?.cancel();
  const why = `redirected to ${response.url}, which ${hop.name} (policy "${hop.policyName}") handles; the hop itself had reached the network (a worker cannot see a redirect before fetch() follows it)`;
  note({ ...hopNote, detail: hopNote.detail ? `${why}: ${hopNote.detail}` : why });
  return answer;
}
