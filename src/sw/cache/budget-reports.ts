import { CACHE_BUDGET_MESSAGE, type CacheBudgetState } from '../../model/cache-budget-state.js';

declare const self: ServiceWorkerGlobalScope;

/** What a page can ask of one budget. */
export interface BudgetReporter {
  state(rule: string): Promise<CacheBudgetState>;
}

const reporters = new Map<BudgetReporter, string>();

/**
 * Lets pages read this budget (crossroute/client `cacheBudgets()`). Called while the rules are set
 * up, during the worker's first evaluation, where a message listener must be added; the first call
 * adds the one listener every budget shares, so a worker without a cache rule has none.
 */
export function reportBudget(rule: string, budget: BudgetReporter): void {
  if (reporters.size === 0) self.addEventListener('message', answer);
  reporters.set(budget, rule);
}

function answer(event: ExtendableMessageEvent): void {
  if ((event.data as { type?: unknown } | null)?.type !== CACHE_BUDGET_MESSAGE) return;
  const port = event.ports[0];
  event.waitUntil(
    Promise.all([...reporters].map(([budget, rule]) => budget.state(rule))).then(
      (budgets) => port?.postMessage({ budgets }),
      (error: unknown) => port?.postMessage({ error: String(error) }),
    ),
  );
}
