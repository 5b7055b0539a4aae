import { registerCrossroute, type Outcome } from '../../src/client/index.js';
import { askWorker } from './outcome-bridge-page.js';
import { scenarios } from './scenarios.js';

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

async function start(): Promise<string> {
  const { labOrigin } = (await (await fetch('/config.json')).json()) as { labOrigin: string };
  await registerCrossroute(`/sw.js?lab=${encodeURIComponent(labOrigin)}`);
  $('app-origin').textContent = location.origin;
  $('lab-origin').textContent = labOrigin;
  $('status').textContent = 'controlled by the crossroute service worker';
  for (const scenario of scenarios) {
    const row = document.createElement('tr');
    row.id = `row-${scenario.id}`;
    row.innerHTML = `<td><button>run</button></td><td>${scenario.title}</td><td>${scenario.seed}</td><td class="policy"></td><td class="kind"></td><td class="status"></td><td class="page"></td><td class="detail"></td>`;
    row.querySelector('button')!.addEventListener('click', () => void window.demo.run(scenario.id));
    $('scenarios').append(row);
  }
  return labOrigin;
}

const labReady = start();

window.demo = {
  ready: labReady.then(() => undefined),
  async run(id) {
    const lab = await labReady;
    const scenario = scenarios.find((s) => s.id === id);
    if (!scenario) throw new Error(`no scenario "${id}"`);
    const since = Date.now();
    const page = await scenario.run(lab);
    // The outcome is handed to the sink right after the response; give it that moment.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const outcomes = (await askWorker('outcomes')).filter((o) => o.time >= since);
    const last = outcomes[outcomes.length - 1];
    const cell = (name: string, text: string): void => void ($(`row-${id}`).querySelector(`.${name}`)!.textContent = text);
    cell('policy', last?.policy ?? 'not intercepted');
    cell('kind', last?.kind ?? '');
    cell('status', last?.status === null || last === undefined ? '' : String(last.status));
    cell('page', page);
    cell('detail', last?.detail ?? '');
    return { id, page, outcomes };
  },
};
