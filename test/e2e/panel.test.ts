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

/** The focused element, through the panel's shadow root: `tag:name or text` inside the panel, `page:tag` outside. */
function focused(p: TestPage): Promise<string> {
  return p.evaluate(() => {
    const inner = document.querySelector('crossroute-panel')!.shadowRoot!.activeElement;
    if (!inner) return `page:${document.activeElement?.localName ?? 'none'}`;
    const name = inner.getAttribute('name');
    return `${inner.localName}:${name ?? (inner.localName === 'summary' ? inner.closest('li')!.dataset.id : inner.textContent)}`;
  });
}

/** Presses Tab (or Shift+Tab) until the panel's focused element is `target`, and gives every stop on the way. */
async function tabTo(p: TestPage, target: string, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<string[]> {
  const stops: string[] = [];
  for (let i = 0; i < 200; i++) {
    await p.press(key);
    stops.push(await focused(p));
    if (stops.at(-1) === target) return stops;
  }
  throw new Error(`${key} never reached ${target}: ${stops.join(', ')}`);
}

/** The focus ring the focused element draws, whether it matches :focus-visible (only what keys focused does), and whether the page's window has focus (without it neither :focus nor :focus-visible matches). */
function focusRing(p: TestPage): Promise<{ visible: boolean; outline: string; hasFocus: boolean }> {
  return p.evaluate(() => {
    const inner = document.querySelector('crossroute-panel')!.shadowRoot!.activeElement!;
    const style = getComputedStyle(inner);
    return { visible: inner.matches(':focus-visible'), outline: `${style.outlineStyle} ${style.outlineWidth}`, hasFocus: document.hasFocus() };
  });
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

  it('works from the keyboard: Tab order, rows open with Enter and Space, the filter takes typing, focus is visible and kept', async () => {
    const page = session.page;
    // From the page's last control (the demo's last run button), Tab walks the panel top to bottom.
    await page.evaluate(() => [...document.querySelectorAll('button')].at(-1)!.focus());
    const stops = await tabTo(page, 'button:Clear outbox');
    const rowIds = await page.evaluate(() => [...document.querySelector('crossroute-panel')!.shadowRoot!.querySelectorAll<HTMLElement>('ol > li')].map((li) => li.dataset.id));
    expect(rowIds.length).toBeGreaterThan(5);
    expect(stops).toEqual([
      'button:Export NDJSON',
      'select:group',
      'select:kind',
      'select:origin',
      'select:policy',
      'input:text',
      ...rowIds.map((id) => `summary:${id}`),
      'button:Deliver now',
      'button:Clear outbox',
    ]);
    expect(await focusRing(page)).toEqual({ visible: true, outline: 'solid 2px', hasFocus: true });

    // Back to the newest row: Enter opens it to its fields, Enter closes it, Space opens it again.
    const row = `summary:${rowIds[0]}`;
    await tabTo(page, row, 'Shift+Tab');
    expect(await focusRing(page)).toEqual({ visible: true, outline: 'solid 2px', hasFocus: true });
    const detail = (): Promise<{ open: boolean; shown: boolean; fields: string[] }> =>
      page.evaluate(() => {
        const details = document.querySelector('crossroute-panel')!.shadowRoot!.activeElement!.closest('details')!;
        const list = details.querySelector('dl')!;
        return { open: details.open, shown: list.checkVisibility(), fields: [...list.querySelectorAll('dt')].map((dt) => dt.textContent!) };
      });
    await page.press('Enter');
    const opened = await detail();
    expect(opened).toMatchObject({ open: true, shown: true });
    expect(opened.fields).toEqual(expect.arrayContaining(['policy', 'origin', 'mode', 'time']));
    await page.press('Enter');
    expect(await detail()).toMatchObject({ open: false, shown: false });
    await page.press('Space');
    expect(await detail()).toMatchObject({ open: true, shown: true });

    // A live redraw replaces the rows: the focused row keeps focus (and stays open).
    const liveBefore = await page.evaluate(() => document.querySelector('crossroute-panel')!.shadowRoot!.querySelector('.live')!.textContent!);
    await run('cors');
    await eventually(() => page.evaluate((before) => (document.querySelector('crossroute-panel')!.shadowRoot!.querySelector('.live')!.textContent !== before ? true : undefined), liveBefore));
    expect(await focused(page)).toBe(row);
    expect(await detail()).toMatchObject({ open: true, shown: true });

    // Up to the text filter, typed into key by key: the rows narrow to those that contain it.
    await tabTo(page, 'input:text', 'Shift+Tab');
    for (const key of 'pixel') await page.press(key);
    const filtered = await page.evaluate(() => {
      const root = document.querySelector('crossroute-panel')!.shadowRoot!;
      return { value: root.querySelector('input')!.value, rows: [...root.querySelectorAll('ol > li')].map((li) => li.textContent!.toLowerCase()) };
    });
    expect(filtered.value).toBe('pixel');
    expect(filtered.rows.length).toBeGreaterThan(0);
    expect(filtered.rows.length).toBeLessThan(rowIds.length);
    expect(filtered.rows.every((text) => text.includes('pixel'))).toBe(true);
    for (let i = 0; i < 'pixel'.length; i++) await page.press('Backspace');
    expect(await page.evaluate(() => document.querySelector('crossroute-panel')!.shadowRoot!.querySelectorAll('ol > li').length)).toBe(rowIds.length + 1);
  });

  it("exports the log's records as NDJSON, from the keyboard, through a download link it keeps", async () => {
    const page = session.page;
    // The download is caught at its link's click (composed, so it reaches the document) and not saved.
    await page.evaluate(() =>
      document.addEventListener(
        'click',
        (event) => {
          const target = event.composedPath()[0];
          if (!(target instanceof HTMLAnchorElement) || !target.download) return;
          event.preventDefault();
          (window as unknown as { exported: object }).exported = { href: target.href, download: target.download };
        },
        { capture: true },
      ),
    );
    await page.evaluate(() => [...document.querySelectorAll('button')].at(-1)!.focus());
    await page.press('Tab');
    expect(await focused(page)).toBe('button:Export NDJSON');
    await page.press('Enter');
    const exported = await eventually(() => page.evaluate(() => (window as unknown as { exported?: { href: string; download: string } }).exported));
    expect(exported.download).toBe('crossroute-outcomes.ndjson');
    const { lines, stored, kept } = await page.evaluate(async (href) => {
      const text = await (await fetch(href)).text();
      // What the log holds, read from its IndexedDB store directly, oldest first (time, then insertion order).
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('crossroute-log');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const records = await new Promise<Array<{ time: number; seq: number }>>((resolve, reject) => {
        const all = db.transaction('outcomes').objectStore('outcomes').getAll();
        all.onsuccess = () => resolve(all.result);
        all.onerror = () => reject(all.error);
      });
      db.close();
      const link = document.querySelector('crossroute-panel')!.shadowRoot!.querySelector<HTMLAnchorElement>('a[download]');
      return {
        lines: text.endsWith('\n') ? text.slice(0, -1).split('\n') : [text],
        stored: records.sort((a, b) => a.time - b.time || a.seq - b.seq),
        kept: link && { href: link.href, text: link.textContent },
      };
    }, exported.href);
    expect(stored.length).toBeGreaterThan(5);
    expect(lines.map((line) => JSON.parse(line))).toEqual(stored);
    // The link stays in the panel's bar, to download again.
    expect(kept).toEqual({ href: exported.href, text: expect.stringMatching(/^crossroute-outcomes\.ndjson \(\d+(\.\d)? (B|KiB)\)$/) });
    expect(await focused(page)).toBe('button:Export NDJSON');
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
    // By keyboard: Enter on Deliver now, which keeps focus while it works (a disabled button would drop it).
    await tabTo(session.page, 'button:Deliver now');
    await session.page.press('Enter');
    const delivered = await eventually(async () => {
      const v = await readPanel(session.page);
      return v.outbox.queued === '0' && /^Delivery \(page\): \d+ delivered/.test(v.report) ? v : undefined;
    });
    expect(delivered.unreachable).toEqual([]);
    expect(await focused(session.page)).toBe('button:Deliver now');
    expect(session.demo.lab.records().filter((r) => r.path.startsWith('/beacon'))).toHaveLength(1);
    await keep(session.page, engine, 'outbox-delivered', 'outbox');

    await session.demo.lab.close();
    await run('beacon');
    await eventually(async () => ((await readPanel(session.page)).outbox.queued === '1' ? true : undefined));
    await session.page.press('Tab');
    expect(await focused(session.page)).toBe('button:Clear outbox');
    await session.page.press('Space');
    const cleared = await eventually(async () => {
      const v = await readPanel(session.page);
      return v.outbox.queued === '0' && v.report.startsWith('Cleared') ? v : undefined;
    });
    expect(cleared.report).toBe('Cleared 1 beacon(s).');
    expect(await focused(session.page)).toBe('button:Clear outbox');
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
