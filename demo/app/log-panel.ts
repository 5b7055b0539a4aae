import type { OutcomeKind, OutcomeLogReader, OutcomeQuery, OutcomeStats, OutcomeSummary, StoredOutcome } from '../../src/client/index.js';

/** The demo's view of the outcome log: a filterable table, the summary, export and clear. */
export function mountLogPanel(root: HTMLElement, log: OutcomeLogReader): { refresh(): Promise<void> } {
  root.innerHTML = `
    <h2>Outcome log</h2>
    <form id="log-filter">
      <label>origin <input name="targetOrigin" size="24" placeholder="any"></label>
      <label>policy <input name="policy" size="10" placeholder="any"></label>
      <label>kind <input name="kind" size="12" placeholder="any"></label>
      <label>reason <input name="reason" size="20" placeholder="any"></label>
      <button type="button" id="log-export">export NDJSON</button>
      <button type="button" id="log-clear">clear</button>
      <span id="log-live"></span>
    </form>
    <h3>Summary</h3>
    <table><thead><tr><th>group</th><th>count</th><th>success</th><th>p50 ms</th><th>p95 ms</th><th>kinds</th></tr></thead><tbody id="log-summary"></tbody></table>
    <h3>Latest 50</h3>
    <table><thead><tr><th>time</th><th>method</th><th>url</th><th>policy</th><th>kind</th><th>status</th><th>reason</th><th>fix</th><th>ms</th></tr></thead><tbody id="log-rows"></tbody></table>`;
  const form = root.querySelector<HTMLFormElement>('#log-filter')!;
  const filter = (): Omit<OutcomeQuery, 'limit' | 'cursor' | 'order'> => {
    const data = new FormData(form);
    const value = (name: string): string | undefined => (data.get(name) as string).trim() || undefined;
    const kind = value('kind') as OutcomeKind | undefined;
    const targetOrigin = value('targetOrigin');
    const policy = value('policy');
    const reason = value('reason');
    return { ...(kind ? { kind } : {}), ...(targetOrigin ? { targetOrigin } : {}), ...(policy ? { policy } : {}), ...(reason ? { reason } : {}) };
  };
  const refresh = async (): Promise<void> => {
    const [page, summary] = await Promise.all([log.query({ ...filter(), limit: 50 }), log.summarize(filter())]);
    root.querySelector('#log-rows')!.replaceChildren(...page.outcomes.map(row));
    root.querySelector('#log-summary')!.replaceChildren(...summaryRows(summary));
  };
  form.addEventListener('input', () => void refresh());
  root.querySelector('#log-export')!.addEventListener('click', async () => {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await log.exportNdjson(filter()));
    link.download = 'crossroute-outcomes.ndjson';
    link.click();
  });
  root.querySelector('#log-clear')!.addEventListener('click', () => void log.clear().then(refresh));
  return { refresh };
}

function cells(values: Array<string | number>): HTMLTableRowElement {
  const tr = document.createElement('tr');
  for (const value of values) tr.insertCell().textContent = String(value);
  return tr;
}

function row(o: StoredOutcome): HTMLTableRowElement {
  return cells([new Date(o.time).toLocaleTimeString(), o.method, o.url, o.policy, o.kind, o.status ?? '', o.reason ?? '', o.fix ?? '', o.durationMs.toFixed(1)]);
}

function summaryRows(summary: OutcomeSummary): HTMLTableRowElement[] {
  const line = (group: string, s: OutcomeStats): HTMLTableRowElement =>
    cells([group, s.count, `${Math.round(s.successRate * 100)}%`, s.p50.toFixed(1), s.p95.toFixed(1), Object.entries(s.byKind).map(([k, n]) => `${k} ${n}`).join(', ')]);
  return [
    line('all', summary.total),
    ...Object.entries(summary.byOrigin).map(([origin, s]) => line(`origin ${origin}`, s)),
    ...Object.entries(summary.byPolicy).map(([policy, s]) => line(`policy ${policy}`, s)),
  ];
}
