import { registerCrossroute, watchOutcomes, type Outcome, type StoredOutcome } from '../../src/client/index.js';
import { definePanel, type CrossroutePanel } from '../../src/panel/index.js';
import { runScenario, scenarios } from './scenarios.js';

export interface ScenarioResult {
  id: string;
  page: string;
  outcomes: Outcome[];
}

declare global {
  interface Window {
    demo: { ready: Promise<void>; run(id: string): Promise<ScenarioResult> };
  }
}

const $ = (id: string): HTMLElement => document.getElementById(id)!;
const live: StoredOutcome[] = [];
// The scenario table waits for each run's outcomes on the live channel; the panel below draws the log.
watchOutcomes((outcomes) => void live.push(...outcomes));
definePanel();

async function start(): Promise<string> {
  const { labOrigin } = (await (await fetch('/config.json')).json()) as { labOrigin: string };
  await registerCrossroute(`/sw.js?lab=${encodeURIComponent(labOrigin)}`);
  $('app-origin').textContent = location.origin;
  $('lab-origin').textContent = labOrigin;
  $('status').textContent = 'controlled by the crossroute service worker';
  for (const scenario of scenarios) {
    const row = document.createElement('tr');
    row.id = `row-${scenario.id}`;
    row.innerHTML = `<td><button>run</button></td><td>${scenario.title}</td><td>${scenario.seed}</td><td class="policy"></td><td class="kind"></td><td class="status"></td><td class="page"></td><td class="reason"></td><td class="fix"></td><td class="detail"></td>`;
    row.querySelector('button')!.addEventListener('click', () => void window.demo.run(scenario.id));
    $('scenarios').append(row);
  }
  // The panel read the log before the page was controlled: read the outbox and the budgets again.
  await document.querySelector<CrossroutePanel>('crossroute-panel')!.refresh();
  return labOrigin;
}

/** Waits (briefly) for the live channel to announce the outcomes for `url` of requests made since `since`. */
async function outcomesFor(url: string, since: number): Promise<Outcome[]> {
  // Generous: the first scenario also creates the log's database, which a slow machine takes a while for.
  for (let waited = 0; waited < 10_000; waited += 25) {
    const found = live.filter((o) => o.time >= since && o.url === url);
    if (found.length > 0) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return [];
}

const labReady = start();

window.demo = {
  ready: labReady.then(() => undefined),
  async run(id) {
    const lab = await labReady;
    const scenario = scenarios.find((s) => s.id === id);
    if (!scenario) throw new Error(`no scenario "${id}"`);
    const since = Date.now();
    const page = await runScenario(scenario, lab);
    const outcomes = await outcomesFor(`${lab}${scenario.path}`, since);
    const last = outcomes[outcomes.length - 1];
    const cell = (name: string, text: string): void => void ($(`row-${id}`).querySelector(`.${name}`)!.textContent = text);
    cell('policy', last?.policy ?? 'not intercepted');
    cell('kind', last?.kind ?? '');
    cell('status', last?.status === null || last === undefined ? '' : String(last.status));
    cell('page', page);
    cell('reason', last?.reason ?? '');
    cell('fix', last?.fix ?? '');
    cell('detail', last?.detail ?? '');
    return { id, page, outcomes };
  },
};
