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
  if (note.detail !== undefined) outcome.detail = note.detail;
  if (note.changes !== undefined) outcome.changes = note.changes;
  if (note.reason !== undefined) outcome.reason = note.reason;
  if (note.fix !== undefined) outcome.fix = note.fix;
  return outcome;
}
