import type { Outcome, OutcomeKind, ResponseType } from '../../model/outcome.js';
import type { OutboxEntry } from './outbox-entry.js';

export interface ReplayFacts {
  kind: Extract<OutcomeKind, 'delivered' | 'retry' | 'dropped'>;
  /** Epoch ms when the send started (or the entry was given up). */
  time: number;
  durationMs: number;
  /** The mode the beacon was sent in; the page request's mode is long gone. */
  mode: string;
  status: number | null;
  responseType: ResponseType | null;
  redirected: boolean;
  detail: string;
}

/** What a send tells, before it is known which kind of outcome it makes for each beacon. */
export type SendFacts = Omit<ReplayFacts, 'kind' | 'detail'>;

/**
 * The Outcome of work no fetch event carries (a send from the outbox, or giving a beacon up),
 * written straight to the sink. The beacon's id leads the detail, so every outcome of one beacon
 * (queued, retry, delivered) can be found by it.
 */
export function replayOutcome(entry: OutboxEntry, facts: ReplayFacts): Outcome {
  return {
    id: crypto.randomUUID(),
    time: facts.time,
    url: entry.url,
    targetOrigin: entry.origin,
    method: entry.method,
    mode: facts.mode,
    destination: entry.destination,
    ruleIndex: entry.rule.index,
    policy: 'beacon',
    kind: facts.kind,
    responseType: facts.responseType,
    status: facts.status,
    durationMs: facts.durationMs,
    redirected: facts.redirected,
    detail: `beacon ${entry.id}: ${facts.detail}`,
    beaconId: entry.id,
  };
}

/** A beacon given up without a send (age limit, eviction). */
export function givenUpOutcome(entry: OutboxEntry, time: number, detail: string): Outcome {
  return replayOutcome(entry, { kind: 'dropped', time, durationMs: 0, mode: entry.delivery, status: null, responseType: null, redirected: false, detail });
}
