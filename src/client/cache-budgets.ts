import { CACHE_BUDGET_MESSAGE, type CacheBudgetState } from '../model/cache-budget-state.js';
import { askWorker } from './ask-worker.js';

/**
 * The opaque-cache budgets of the worker's rules (`opaqueCache`, `auto` with a cache): entries and
 * bytes held against `maxEntries` and `maxBytes`, and the opaque (padded) share. Null when no worker
 * answers within `timeoutSeconds` (none registered, or no rule keeps a cache).
 */
export async function cacheBudgets(timeoutSeconds = 2): Promise<CacheBudgetState[] | null> {
  return (await askWorker<{ budgets: CacheBudgetState[] }>({ type: CACHE_BUDGET_MESSAGE }, timeoutSeconds, 'its cache budgets'))?.budgets ?? null;
}
