import type { Outcome, ResponseType } from '../../model/outcome.js';
import type { OutcomeNote } from '../contract/policy.js';
import { classifyResponse } from './classify-response.js';

export interface OutcomeFacts {
  request: Request;
  ruleIndex: number;
  policy: string;
  /** Epoch ms when handling started. */
  time: number;
  durationMs: number;
  /** What the page got; undefined when it got a network error. */
  response: Response | undefined;
  note: OutcomeNote;
}

/** One Outcome record from what a handler saw; the note's kind wins over what the response shows. */
export function buildOutcome({ request, ruleIndex, policy, time, durationMs, response, note }: OutcomeFacts): Outcome {
  const answered = response !== undefined && response.type !== 'error';
  const outcome: Outcome = {
    id: crypto.randomUUID(),
    time,
    url: request.url,
    // A Request's URL always parses; the URL parser's origin is the Fetch Standard's serialization.
    targetOrigin: new URL(request.url).origin,
    method: request.method,
    mode: request.mode,
    destination: request.destination,
    ruleIndex,
    policy,
    kind: note.kind ?? (response ? classifyResponse(response) : 'network-error'),
    responseType: answered ? (response.type as ResponseType) : null,
    status: answered ? response.status : null,
    durationMs,
    redirected: response?.redirected ?? false,
  };
  // What the policy noted beyond the kind: detail, changes and its structured facts.
  for (const [key, value] of Object.entries(note)) if (key !== 'kind' && value !== undefined) (outcome as unknown as Record<string, unknown>)[key] = value;
  return outcome;
}
