import { OUTCOME_KIND_SUCCEEDED, type Outcome, type OutcomeKind } from '../model/outcome.js';
import type { OutcomeFilter } from './query.js';
import { readAll } from './read-all.js';
import type { LogDatabase, StoredOutcome } from './schema.js';

/** Figures over a set of outcomes. */
export interface OutcomeStats {
  /** How many outcomes. */
  count: number;
  /** How many of each kind; kinds that did not occur are absent. */
  byKind: Partial<Record<OutcomeKind, number>>;
  /** Share of outcomes whose kind counts as a success (0 when there are none). */
  successRate: number;
  /** Nearest-rank percentiles of durationMs (0 when there are none): the median. */
  p50: number;
  /** 95th percentile of durationMs. */
  p95: number;
}

/** The log's figures overall, per target origin and per policy. */
export interface OutcomeSummary {
  /** Over every outcome. */
  total: OutcomeStats;
  /** Keyed by target origin. */
  byOrigin: Record<string, OutcomeStats>;
  /** Keyed by policy name. */
  byPolicy: Record<string, OutcomeStats>;
}

/** Counts by kind, success rate and duration percentiles, overall, per target origin and per policy. */
export function summarize(outcomes: Iterable<Outcome>): OutcomeSummary {
  const total: Outcome[] = [];
  const byOrigin = new Map<string, Outcome[]>();
  const byPolicy = new Map<string, Outcome[]>();
  for (const outcome of outcomes) {
    total.push(outcome);
    push(byOrigin, outcome.targetOrigin, outcome);
    push(byPolicy, outcome.policy, outcome);
  }
  return { total: statsOf(total), byOrigin: mapStats(byOrigin), byPolicy: mapStats(byPolicy) };
}

function push(groups: Map<string, Outcome[]>, key: string, outcome: Outcome): void {
  const group = groups.get(key);
  if (group) group.push(outcome);
  else groups.set(key, [outcome]);
}

function mapStats(groups: Map<string, Outcome[]>): Record<string, OutcomeStats> {
  return Object.fromEntries([...groups].map(([key, group]) => [key, statsOf(group)]));
}

function statsOf(outcomes: Outcome[]): OutcomeStats {
  const byKind: Partial<Record<OutcomeKind, number>> = {};
  let succeeded = 0;
  for (const { kind } of outcomes) {
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    if (OUTCOME_KIND_SUCCEEDED[kind]) succeeded++;
  }
  const durations = outcomes.map((o) => o.durationMs).sort((a, b) => a - b);
  return {
    count: outcomes.length,
    byKind,
    successRate: outcomes.length === 0 ? 0 : succeeded / outcomes.length,
    p50: percentile(durations, 0.5),
    p95: percentile(durations, 0.95),
  };
}

/** Nearest-rank: the smallest value with at least p of the values at or below it. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

/** The summary of every stored outcome the filter selects. */
export async function summarizeLog(db: LogDatabase, filter?: OutcomeFilter): Promise<OutcomeSummary> {
  const outcomes: StoredOutcome[] = [];
  for await (const outcome of readAll(db, filter)) outcomes.push(outcome);
  return summarize(outcomes);
}
