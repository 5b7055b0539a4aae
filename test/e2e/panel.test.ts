import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../demo/app/page.js';
import { scenarios } from '../../demo/app/scenarios.js';
import { useDemoPage } from '../helpers/demo-page.js';
import { enginesFromEnv, type EngineName, type TestPage } from '../helpers/browser.js';
import { eventually } from '../helpers/stack.js';

/** Where each state's screenshot is kept (CI keeps .tmp/artifacts/). */
const ARTIFACTS = join(import.meta.dirname, '../../.tmp/artifacts/panel');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** What the panel shows, read from its shadow root: the rows, the outbox figures and the budgets. */
interface PanelView {
  rows: Array<{ kind: string; url: string }>;
  live: string;
  groups: string[];
  outbox: Record<string, string>;
  unreachable: string[];
  report: string;
  budgets: string[][];
}

function readPanel(p: TestPage): Promise<PanelView> {
  return p.evaluate(() => {
    const root = document.querySelector('crossroute-panel')!.shadowRoot!;
    const text = (e: Element | null | undefined): string => e?.textContent?.trim() ?? '';
    const outboxSection = root.querySelector('[aria-labelledby="outbox"]')!;
    return {
      rows: [...root.querySelectorAll('ol > li')].map((li) => ({ kind: text(li.querySelector('.kind')), url: text(li.querySelector('.url')) })),
      live: text(root.querySelector('.live')),
      groups: [...root.querySelectorAll('figcaption strong')].map(text),
      outbox: Object.fromEntries([...outboxSection.querySelectorAll('.stats > div')].map((d) => [text(d.querySelector('dt')), text(d.querySelector('dd'))])),
      unreachable: [...outboxSection.querySelectorAll('tbody td:first-child')].map(text),
      report: text(outboxSection.querySelector('[role=status]')),
      budgets: [...root.querySelectorAll('[aria-labelledby="budgets"] tbody tr')].map((tr) => [...tr.children].map(text)),
    };
  });
}

/** Clicks one of the panel's buttons by its text, as a user would (the element's own click handling). */
function press(p: TestPage, label: string): Promise<void> {
  return p.evaluate((label) => {
    const button = [...document.querySelector('crossroute-panel')!.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent === label);
    if (!button) throw new Error(`no button "${label}"`);
    button.focus();
    button.click();
  }, label);
}

/** Scrolls the panel's part (a section's heading id, or the host) into view and keeps a screenshot of it. */
async function keep(p: TestPage, engine: EngineName, state: string, part?: string): Promise<void> {
  await p.evaluate((part) => {
    const host = document.querySelector('crossroute-panel')!;
    (part ? host.shadowRoot!.getElementById(part)! : host).scrollIntoView({ block: 'start' });
  }, part);
  await p.screenshot(join(ARTIFACTS, `${engine}-${state}.png`));
}

describe.each(enginesFromEnv())('<crossroute-panel> in the demo, in %s', (engine) => {
  const session = useDemoPage(engine);
  beforeAll(() => mkdirSync(ARTIFACTS, { recursive: true }));
  const run = (id: string): Promise<ScenarioResult> => session.page.evaluate((id) => window.demo.run(id), id);

  it("renders the demo's scenarios: charts per origin and policy, each cors-blocked outcome with its reason and fix", async () => {
    const results: ScenarioResult[] = [];
    for (const { id } of scenarios) {
      if (id === 'asset-again') {
        const image = `${session.demo.lab.origin}/assets/pixel.png`;
        await eventually(() => session.page.evaluate(async (url) => ((await caches.match(url)) ? true : undefined), image));
      }
      results.push(await run(id));
    }
    const outcomes = results.flatMap((r) => r.outcomes);
    // Every scenario's outcome becomes a row, with its kind.
    const rowOf = (o: (typeof outcomes)[number]): string => `${o.kind} ${o.method} ${o.url}`;
    const view = await eventually(async () => {
      const v = await readPanel(session.page);
      const shown = new Set(v.rows.map((r) => `${r.kind} ${r.url}`));
      return outcomes.every((o) => shown.has(rowOf(o))) ? v : undefined;
    });
    expect(view.groups).toContain(session.demo.lab.origin);

    const blocked = outcomes.filter((o) => o.kind === 'cors-blocked');
    expect(blocked).toHaveLength(scenarios.filter((s) => results.find((r) => r.id === s.id)!.outcomes.some((o) => o.kind === 'cors-blocked')).length);
    expect(blocked.length).toBeGreaterThanOrEqual(5);
    for (const o of blocked) {
      expect(o.reason).toMatch(/^CORS/);
      // The row opens (its <summary> is the disclosure's button) and leads with the doctor's reason and fix.
      const shown = await session.page.evaluate((url) => {
        const li = [...document.querySelector('crossroute-panel')!.shadowRoot!.querySelectorAll('ol > li')].find(
          (row) => row.querySelector('.url')?.textContent === url && row.querySelector('.kind')?.textContent === 'cors-blocked',
        )!;
        li.querySelector('summary')!.click();
        return { open: li.querySelector('details')!.open, reason: li.querySelector('.reason')?.textContent, fix: li.querySelector('.fix')?.textContent };
      }, `${o.method} ${o.url}`);
      expect(shown).toEqual({ open: true, reason: o.reason, fix: o.fix });
    }
    await keep(session.page, engine, 'charts-by-origin');
    await session.page.evaluate(() => {
      const select = document.querySelector('crossroute-panel')!.shadowRoot!.querySelector<HTMLSelectElement>('select[name=group]')!;
      select.value = 'policy';
      select.dispatchEvent(new Event('change'));
    });
    expect((await readPanel(session.page)).groups).toEqual(expect.arrayContaining(['cors', 'block', 'beacon', 'opaque-cache', 'passthrough', 'proxy']));
    await keep(session.page, engine, 'charts-by-policy');
    await keep(session.page, engine, 'cors-blocked-detail', 'outcomes');

    // The filter narrows the rows to one kind; the open rows stay open.
    const filtered = await session.page.evaluate(() => {
      const root = document.querySelector('crossroute-panel')!.shadowRoot!;
      const select = root.querySelector<HTMLSelectElement>('select[name=kind]')!;
      select.value = 'cors-blocked';
      select.dispatchEvent(new Event('input', { bubbles: true }));
      const rows = [...root.querySelectorAll('ol > li')];
      return { kinds: [...new Set(rows.map((li) => li.querySelector('.kind')!.textContent))], open: rows.filter((li) => li.querySelector('details')!.open).length };
    });
    expect(filtered).toEqual({ kinds: ['cors-blocked'], open: blocked.length });
    await keep(session.page, engine, 'filtered', 'outcomes');

    // The opaque-cache rule's budget, read from the worker through crossroute/client.
    const budget = await eventually(async () => (await readPanel(session.page)).budgets.find((row) => row[0] === 'lab images, cached for offline use' && row[1] === '1 of 50'));
    expect(budget[2]).toMatch(/ of 256\.0 MiB$/);
    await keep(session.page, engine, 'cache-budget', 'budgets');
  });

  it('updates live as new requests happen (no reload, no polling)', async () => {
    const before = await readPanel(session.page);
    const liveBefore = Number(/(\d+) received live/.exec(before.live)![1]);
    const result = await run('cors');
    const o = result.outcomes.at(-1)!;
    const after = await eventually(async () => {
      const v = await readPanel(session.page);
      return Number(/(\d+) received live/.exec(v.live)![1]) > liveBefore && v.rows.length > 0 ? v : undefined;
    });
    // The kind filter is still cors-blocked: the new ok row is counted, not listed, until it is cleared.
    expect(after.rows.every((r) => r.kind === 'cors-blocked')).toBe(true);
    const rows = await session.page.evaluate(() => {
      const root = document.querySelector('crossroute-panel')!.shadowRoot!;
      const select = root.querySelector<HTMLSelectElement>('select[name=kind]')!;
      select.value = '';
      select.dispatchEvent(new Event('input', { bubbles: true }));
      return [...root.querySelectorAll('ol > li .url')].map((e) => e.textContent);
    });
    expect(rows[0]).toBe(`${o.method} ${o.url}`);
    await keep(session.page, engine, 'live', 'outcomes');
  });

  it('its outbox buttons work against a stopped and restarted lab: deliver now, then clear', async () => {
    await session.demo.lab.close();
    expect((await run('beacon')).outcomes.map((o) => o.kind)).toContain('queued');
    const waiting = await eventually(async () => {
      const v = await readPanel(session.page);
      return v.outbox.queued === '1' && v.unreachable.includes(session.demo.lab.origin) ? v : undefined;
    });
    expect(waiting.outbox.oldest).toMatch(/ago\)$/);
    await keep(session.page, engine, 'outbox-waiting', 'outbox');

    await session.demo.restartLab();
    await press(session.page, 'Deliver now');
    const delivered = await eventually(async () => {
      const v = await readPanel(session.page);
      return v.outbox.queued === '0' && /^Delivery \(page\): \d+ delivered/.test(v.report) ? v : undefined;
    });
    expect(delivered.unreachable).toEqual([]);
    expect(session.demo.lab.records().filter((r) => r.path.startsWith('/beacon'))).toHaveLength(1);
    await keep(session.page, engine, 'outbox-delivered', 'outbox');

    await session.demo.lab.close();
    await run('beacon');
    await eventually(async () => ((await readPanel(session.page)).outbox.queued === '1' ? true : undefined));
    await press(session.page, 'Clear outbox');
    const cleared = await eventually(async () => {
      const v = await readPanel(session.page);
      return v.outbox.queued === '0' && v.report.startsWith('Cleared') ? v : undefined;
    });
    expect(cleared.report).toBe('Cleared 1 beacon(s).');
    await keep(session.page, engine, 'outbox-cleared', 'outbox');
    await session.demo.restartLab();
  });

  it('has no serious or critical axe-core violations, in light and dark, and fits 360 px', async () => {
    await session.page.evaluate((source) => void (0, eval)(source), AXE_SOURCE);
    for (const scheme of ['light', 'dark']) {
      const violations = await session.page.evaluate(async (scheme) => {
        const host = document.querySelector('crossroute-panel')!;
        host.setAttribute('scheme', scheme);
        const axe = (window as unknown as { axe: { run(context: Element, options: object): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe;
        const result = await axe.run(host, { resultTypes: ['violations'] });
        return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes)`);
      }, scheme);
      expect(violations, scheme).toEqual([]);
      await keep(session.page, engine, `scheme-${scheme}`);
    }
    const overflow = await session.page.evaluate(() => {
      const host = document.querySelector<HTMLElement>('crossroute-panel')!;
      host.style.width = '360px';
      const panel = host.shadowRoot!.querySelector<HTMLElement>('.panel')!;
      return panel.scrollWidth - panel.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await keep(session.page, engine, 'width-360-dark');
  });
});
