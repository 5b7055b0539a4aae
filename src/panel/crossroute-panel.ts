import {
  cacheBudgets,
  clearOutbox,
  deliverNow,
  openOutcomeLog,
  outboxState,
  summarizeOutcomes,
  watchOutcomes,
  type StoredOutcome,
} from '../client/index.js';
import { clock, latencyChart, ms, timelineChart, type TimeSpan } from './charts.js';
import { FAMILIES } from './kind-family.js';
import { outcomeRow } from './outcome-row.js';
import { PANEL_STYLE } from './panel-style.js';
import { html } from './svg.js';

const DEFAULT_LIMIT = 500;
const ROWS_SHOWN = 100;
/** Live batches that arrive within this window are drawn once. */
const REDRAW_MS = 150;

type Part = 'outcomes' | 'outbox' | 'budgets';

/**
 * `<crossroute-panel>`: the outcome log, the beacon outbox and the cache budgets at a glance, for a
 * development build or an admin page. It reads through crossroute/client only and redraws as the
 * worker's log announces new outcomes (no polling). Attributes: `limit` (newest outcomes kept, default
 * 500) and `scheme` (`light` or `dark`; by default the page's prefers-color-scheme).
 */
export class CrossroutePanel extends HTMLElement {
  readonly #log = openOutcomeLog();
  #outcomes: StoredOutcome[] = [];
  #live = 0;
  #stop: (() => void) | undefined;
  #pending = new Set<Part>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Outcomes whose detail is open, kept open across redraws. */
  readonly #open = new Set<string>();
  readonly #shadow: ShadowRoot;
  readonly #parts: ReturnType<typeof buildSkeleton>;

  constructor() {
    super();
    this.#shadow = this.attachShadow({ mode: 'open' });
    this.#parts = buildSkeleton(this.#shadow);
    const { filters, group, deliver, clear, exportButton } = this.#parts;
    filters.addEventListener('input', () => this.#drawOutcomes());
    group.addEventListener('change', () => this.#drawCharts());
    deliver.addEventListener('click', () => void this.#act('Delivering…', async () => {
      const report = await deliverNow();
      return report ? `Delivery (${report.trigger}): ${report.delivered} delivered, ${report.retried} retried, ${report.dropped} dropped${report.unreachable.length ? `; unreachable: ${report.unreachable.join(', ')}` : ''}` : 'No worker answered.';
    }));
    clear.addEventListener('click', () => void this.#act('Clearing…', async () => {
      const cleared = await clearOutbox();
      return cleared === null ? 'No worker answered.' : `Cleared ${cleared} beacon(s).`;
    }));
    exportButton.addEventListener('click', () => void this.#export());
  }

  /** Newest outcomes kept and drawn. */
  get limit(): number {
    const value = Number(this.getAttribute('limit'));
    return Number.isInteger(value) && value > 0 ? Math.min(value, 10_000) : DEFAULT_LIMIT;
  }

  /** Starts watching the log's live channel and reads everything (the browser calls it when the element is attached). */
  connectedCallback(): void {
    this.#stop ??= watchOutcomes((outcomes) => this.#received(outcomes));
    // A page is never broken by its panel: a log that cannot be read is said, not thrown.
    this.refresh().catch((error: unknown) => void (this.#parts.live.textContent = `The outcome log could not be read: ${String(error)}`));
  }

  /** Stops watching and closes the log (the browser calls it when the element is removed). */
  disconnectedCallback(): void {
    this.#stop?.();
    this.#stop = undefined;
    this.#log.close();
    this.#revokeExport();
  }

  /** Reads the log, the outbox and the budgets again and redraws everything. */
  async refresh(): Promise<void> {
    const page = await this.#log.query({ limit: this.limit });
    this.#outcomes = page.outcomes;
    this.#drawOutcomes();
    this.#drawCharts();
    await Promise.all([this.#readOutbox(), this.#readBudgets()]);
  }

  #received(outcomes: StoredOutcome[]): void {
    this.#live += outcomes.length;
    const known = new Set(this.#outcomes.map((o) => o.id));
    this.#outcomes = [...outcomes.filter((o) => !known.has(o.id)).reverse(), ...this.#outcomes].slice(0, this.limit);
    this.#schedule('outcomes');
    // What the outbox and the budgets hold changes with these outcomes only.
    if (outcomes.some((o) => o.beaconId !== undefined)) this.#schedule('outbox');
    if (outcomes.some((o) => o.policy === 'opaque-cache' || o.policy === 'auto')) this.#schedule('budgets');
  }

  #schedule(part: Part): void {
    this.#pending.add(part);
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      const parts = new Set(this.#pending);
      this.#pending.clear();
      if (parts.has('outcomes')) {
        this.#drawOutcomes();
        this.#drawCharts();
      }
      if (parts.has('outbox')) void this.#readOutbox();
      if (parts.has('budgets')) void this.#readBudgets();
    }, REDRAW_MS);
  }

  #drawCharts(): void {
    const { groups, group, live } = this.#parts;
    live.textContent = `${this.#outcomes.length} latest outcome(s) shown, ${this.#live} received live`;
    const by = group.value === 'policy' ? 'policy' : 'targetOrigin';
    const summary = summarizeOutcomes(this.#outcomes);
    const stats = by === 'policy' ? summary.byPolicy : summary.byOrigin;
    const now = Date.now();
    const oldest = this.#outcomes.at(-1)?.time ?? now;
    const span: TimeSpan = { from: Math.min(oldest, now - 60_000), to: now };
    const scale = Math.max(0, ...Object.values(stats).map((s) => s.p95));
    const figures = Object.entries(stats)
      .sort(([, a], [, b]) => b.count - a.count)
      .map(([name, s]) =>
        html(
          'figure',
          {},
          html('figcaption', {}, html('strong', {}, name), `${s.count} requests, ${Math.round(s.successRate * 100)}% succeeded, p50 ${ms(s.p50)}, p95 ${ms(s.p95)}`),
          timelineChart(this.#outcomes.filter((o) => o[by] === name), span, s),
          latencyChart(s, scale),
        ),
      );
    groups.replaceChildren(...(figures.length ? figures : [html('p', { class: 'muted' }, 'No outcomes yet.')]));
  }

  #drawOutcomes(): void {
    const { rows, filters, count } = this.#parts;
    const values = Object.fromEntries(new FormData(filters)) as Record<string, string>;
    for (const [name, field] of [['kind', 'kind'], ['origin', 'targetOrigin'], ['policy', 'policy']] as const) {
      const select = filters.elements.namedItem(name) as HTMLSelectElement;
      const choices = [...new Set(this.#outcomes.map((o) => o[field]))].sort();
      const current = values[name] ?? '';
      select.replaceChildren(html('option', { value: '' }, 'any'), ...choices.map((c) => html('option', { value: c, selected: c === current }, c)));
      if (current && !choices.includes(current)) select.append(html('option', { value: current, selected: true }, current));
    }
    const text = (values.text ?? '').trim().toLowerCase();
    const shown = this.#outcomes.filter(
      (o) =>
        (!values.kind || o.kind === values.kind) &&
        (!values.origin || o.targetOrigin === values.origin) &&
        (!values.policy || o.policy === values.policy) &&
        (!text || [o.url, o.detail, o.reason, o.fix].some((v) => v?.toLowerCase().includes(text))),
    );
    count.textContent = `${Math.min(shown.length, ROWS_SHOWN)} of ${shown.length} matching`;
    // A redraw replaces the rows: the row that had focus gets it back, or a keyboard user would be sent to the page's start.
    const focused = this.#shadow.activeElement?.closest<HTMLElement>('ol > li')?.dataset.id;
    const drawn = shown.slice(0, ROWS_SHOWN).map((o) => {
      const row = outcomeRow(o, this.#open.has(o.id), (open) => (open ? this.#open.add(o.id) : this.#open.delete(o.id)));
      row.dataset.id = o.id;
      return row;
    });
    rows.replaceChildren(...drawn);
    drawn.find((row) => row.dataset.id === focused)?.querySelector('summary')!.focus({ preventScroll: true });
  }

  async #readOutbox(): Promise<void> {
    const state = await outboxState().catch(() => null);
    const { outbox } = this.#parts;
    if (!state) {
      outbox.replaceChildren(html('p', { class: 'muted' }, 'No outbox: no worker with a beacon rule answered.'));
      return;
    }
    const stats = html('dl', { class: 'stats' });
    const stat = (name: string, value: string): void => void stats.append(html('div', {}, html('dt', {}, name), html('dd', {}, value)));
    stat('queued', String(state.entries));
    stat('bytes', bytes(state.bytes));
    stat('oldest', state.oldestQueuedAt === null ? 'none' : `${clock(state.oldestQueuedAt)} (${ago(state.oldestQueuedAt)})`);
    stat('sending', state.draining ? 'yes' : 'no');
    stat('delivered / dropped', `${state.totals.delivered} / ${state.totals.dropped + state.totals.evicted}`);
    const origins = state.unreachable.length
      ? html(
          'table',
          {},
          html('caption', { class: 'muted' }, 'Unreachable origins'),
          html('thead', {}, html('tr', {}, ...['origin', 'failures', 'next retry'].map((h) => html('th', { scope: 'col' }, h)))),
          html('tbody', {}, ...state.unreachable.map((u) => html('tr', {}, html('td', {}, u.origin), html('td', {}, String(u.failures)), html('td', {}, `${clock(u.retryAt)} (${until(u.retryAt)})`)))),
        )
      : html('p', { class: 'muted' }, 'Every origin answered its last send.');
    outbox.replaceChildren(stats, origins);
  }

  async #readBudgets(): Promise<void> {
    const states = await cacheBudgets().catch(() => null);
    const { budgets } = this.#parts;
    if (!states?.length) {
      budgets.replaceChildren(html('p', { class: 'muted' }, 'No cache budget: no worker with an opaque-cache rule answered.'));
      return;
    }
    budgets.replaceChildren(
      html(
        'table',
        {},
        html('thead', {}, html('tr', {}, ...['rule', 'entries', 'bytes of maxBytes', 'opaque (padded)'].map((h) => html('th', { scope: 'col' }, h)))),
        html(
          'tbody',
          {},
          ...states.map((b) =>
            html(
              'tr',
              {},
              html('td', {}, b.rule),
              html('td', {}, `${b.entries} of ${b.limits.maxEntries}`),
              html(
                'td',
                {},
                `${bytes(b.bytes)} of ${bytes(b.limits.maxBytes)}`,
                html('meter', { min: 0, max: b.limits.maxBytes, value: b.bytes, 'aria-label': `${b.rule}: bytes used of maxBytes` }),
              ),
              html('td', {}, `${b.bytes > 0 ? `${Math.round((b.opaqueBytes / b.bytes) * 100)}% of bytes, ` : ''}${b.opaqueEntries} ${b.opaqueEntries === 1 ? 'entry' : 'entries'}`),
            ),
          ),
        ),
      ),
    );
  }

  async #act(doing: string, work: () => Promise<string>): Promise<void> {
    const { report, deliver, clear } = this.#parts;
    if (deliver.ariaDisabled === 'true') return;
    // aria-disabled, not disabled: a disabled button loses focus, and a keyboard user their place.
    deliver.ariaDisabled = clear.ariaDisabled = 'true';
    report.textContent = doing;
    try {
      report.textContent = await work();
    } catch (error) {
      report.textContent = String(error);
    } finally {
      deliver.ariaDisabled = clear.ariaDisabled = null;
      await this.#readOutbox();
    }
  }

  async #export(): Promise<void> {
    const { exported } = this.#parts;
    const blob = await this.#log.exportNdjson();
    this.#revokeExport();
    const name = 'crossroute-outcomes.ndjson';
    const link = html('a', { href: URL.createObjectURL(blob), download: name }, `${name} (${bytes(blob.size)})`);
    // Kept in the bar, so the export can be downloaded again or saved elsewhere; the click starts the download.
    exported.replaceChildren(link);
    link.click();
  }

  /** Frees the last export's blob, which its link holds until the next export or the panel's removal. */
  #revokeExport(): void {
    const old = this.#parts.exported.querySelector('a');
    if (old) URL.revokeObjectURL(old.href);
    this.#parts.exported.replaceChildren();
  }
}

/** The panel's fixed structure; the parts that change are returned for drawing into. */
function buildSkeleton(root: ShadowRoot) {
  const section = (id: string, title: string, ...children: Node[]): HTMLElement =>
    html('section', { 'aria-labelledby': id }, html('h3', { id }, title), ...children);
  const group = html('select', { name: 'group' }, html('option', { value: 'origin' }, 'origin'), html('option', { value: 'policy' }, 'policy'));
  const live = html('p', { class: 'live', role: 'status' });
  const exportButton = html('button', { type: 'button' }, 'Export NDJSON');
  const exported = html('span');
  const groups = html('div', { class: 'groups' });
  const select = (name: string, label: string): HTMLLabelElement => html('label', {}, label, html('select', { name }));
  const filters = html(
    'form',
    { class: 'filters', role: 'search' },
    select('kind', 'kind'),
    select('origin', 'origin'),
    select('policy', 'policy'),
    html('label', {}, 'URL, detail, reason or fix contains', html('input', { type: 'search', name: 'text' })),
  );
  filters.addEventListener('submit', (event) => event.preventDefault());
  const count = html('p', { class: 'muted' });
  const rows = html('ol', { 'aria-label': 'latest outcomes, newest first' });
  const outbox = html('div', {}, html('p', { class: 'muted' }, 'Reading the outbox…'));
  const deliver = html('button', { type: 'button' }, 'Deliver now');
  const clear = html('button', { type: 'button' }, 'Clear outbox');
  const report = html('p', { role: 'status' });
  const budgets = html('div', {}, html('p', { class: 'muted' }, 'Reading the cache budgets…'));
  const legend = html('ul', { class: 'legend', 'aria-label': 'colors' }, ...FAMILIES.map(({ family, label }) => html('li', { class: family }, html('span'), label)));
  root.append(
    html('style', {}, PANEL_STYLE),
    html(
      'div',
      { class: 'panel' },
      html('div', { class: 'bar' }, html('h2', {}, 'crossroute'), live, exportButton, exported),
      section('charts', 'Requests over time and latency', html('div', { class: 'bar' }, html('label', {}, 'group by', group)), legend, groups),
      section('outcomes', 'Latest outcomes', filters, count, rows),
      section('outbox', 'Beacon outbox', outbox, html('div', { class: 'bar' }, deliver, clear), report),
      section('budgets', 'Cache budgets', budgets),
    ),
  );
  return { group, live, exportButton, exported, groups, filters, count, rows, outbox, deliver, clear, report, budgets };
}

/** Binary units, as the budgets' defaults are given (256 MiB). */
function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 ** 2).toFixed(1)} MiB`;
}

function ago(time: number): string {
  return `${Math.max(0, Math.round((Date.now() - time) / 1000))} s ago`;
}

function until(time: number): string {
  const seconds = Math.round((time - Date.now()) / 1000);
  return seconds > 0 ? `in ${seconds} s` : 'due now';
}
