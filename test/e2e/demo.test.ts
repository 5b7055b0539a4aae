import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../demo/app/page.js';
import { scenarios } from '../../demo/app/scenarios.js';
import { useDemoPage } from '../helpers/demo-page.js';
import { diagnose } from '../../src/doctor/index.js';
import { enginesFromEnv } from '../helpers/browser.js';
import { eventually } from '../helpers/stack.js';

/** The demo page (what `npm run demo` serves and `--tour` drives): every scenario gives the outcome it shows. */
const EXPECTED: Record<string, string> = {
  cors: 'ok',
  'no-cors': 'cors-blocked',
  'cors-redirect': 'ok',
  'no-cors-redirect': 'cors-blocked',
  preflight: 'ok',
  'preflight-405': 'cors-blocked',
  'preflight-401': 'cors-blocked',
  'missing-allow-headers': 'cors-blocked',
  'delete-post': 'blocked',
  asset: 'cache-miss',
  'asset-again': 'cache-hit',
  beacon: 'queued',
  'status-500': 'opaque',
  proxy: 'ok',
};

describe.each(enginesFromEnv())('the demo, in %s', (engine) => {
  const session = useDemoPage(engine);

  it('has an expectation for every scenario', () => {
    expect(scenarios.map((s) => s.id).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s → %s', async (id, kind) => {
    // The image is stored after the page has it: ask again once it is in the cache.
    if (id === 'asset-again') {
      const image = `${session.demo.lab.origin}/assets/pixel.png`;
      await eventually(() => session.page.evaluate(async (url) => ((await caches.match(url)) ? true : undefined), image));
    }
    const result: ScenarioResult = await session.page.evaluate((id) => window.demo.run(id), id);
    expect(result.outcomes.map((o) => o.kind)).toContain(kind);
    if (kind !== 'cors-blocked') return;
    // The worker asked the demo's proxy: its outcome carries the reason and fix the doctor gives here.
    const scenario = scenarios.find((s) => s.id === id)!;
    const init = scenario.init as { method?: string; headers?: Record<string, string> } | undefined;
    const expected = await diagnose(
      { url: `${session.demo.lab.origin}${scenario.path}`, origin: session.demo.app.origin, method: init?.method ?? 'GET', headers: init?.headers ?? {} },
      { fetch: (url, options) => fetch(url, options) },
    );
    const blocked = result.outcomes.find((o) => o.kind === 'cors-blocked')!;
    expect({ reason: blocked.reason, fix: blocked.fix }).toEqual({ reason: expected.failure!.reason, fix: expected.failure!.fix });
    const shown = await session.page.evaluate((id) => ['reason', 'fix'].map((name) => document.querySelector(`#row-${id} .${name}`)?.textContent), id);
    expect(shown).toEqual([expected.failure!.reason, expected.failure!.fix]);
  });

  it('shows the log in <crossroute-panel>: rows, the charts per origin, live updates', async () => {
    const shown = await eventually(() =>
      session.page.evaluate(() => {
        const root = document.querySelector('crossroute-panel')?.shadowRoot;
        const live = root?.querySelector('.live')?.textContent ?? '';
        const rows = root?.querySelectorAll('ol > li').length ?? 0;
        // Live updates redraw the panel 150 ms after a batch: wait until it has drawn the scenarios' rows.
        return rows >= 14 ? { rows, live, groups: [...root!.querySelectorAll('figcaption strong')].map((e) => e.textContent) } : undefined;
      }),
    );
    expect(shown.groups).toContain(session.demo.lab.origin);
    expect(shown.live).toMatch(/^\d+ latest outcome\(s\) shown, [1-9]\d* received live$/);
  });
});
