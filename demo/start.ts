import { startDemo } from './demo-stack.js';
import { launch } from '../test/helpers/browser.js';
import type { ScenarioResult } from './app/page.js';
import { scenarios } from './app/scenarios.js';

/**
 * `npm run demo`: the app on http://localhost:PORT and the lab on http://127.0.0.1:PORT, until Ctrl-C.
 * `npm run demo -- --tour`: the same scenarios driven headless in Chromium, printed as a table.
 * `--port N` / `--lab-port N` pick the ports (default: 8787 and 8788; 0 for any free one);
 * `--screenshot FILE` saves the toured page as a PNG.
 */
const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const tour = args.includes('--tour');

const { app, lab, close } = await startDemo({ app: flag('--port', tour ? 0 : 8787), lab: flag('--lab-port', tour ? 0 : 8788) });

if (!tour) {
  console.log(`crossroute demo\n  app: ${app.origin}/\n  lab: ${lab.origin}/ (the third-party origin)\nCtrl-C to stop.`);
  process.on('SIGINT', () => void close().then(() => process.exit(0)));
} else {
  const browser = await launch('chromium');
  try {
    const page = await browser.newPage();
    await page.goto(`${app.origin}/`);
    await page.evaluate(() => window.demo.ready);
    const rows: string[][] = [['scenario', 'seed', 'policy', 'outcome kind', 'status', 'CORS reason', 'page saw']];
    for (const scenario of scenarios) {
      const result: ScenarioResult = await page.evaluate((id) => window.demo.run(id), scenario.id);
      const last = result.outcomes[result.outcomes.length - 1];
      rows.push([scenario.id, scenario.seed, last?.policy ?? '-', last?.kind ?? 'not intercepted', String(last?.status ?? '-'), last?.reason ?? '-', result.page.slice(0, 48)]);
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
    console.log(`\n${scenarios.length} scenarios toured in ${browser.engine} ${browser.version}`);
    const screenshot = args.indexOf('--screenshot');
    if (screenshot !== -1) {
      await new Promise((resolve) => setTimeout(resolve, 500)); // the log panel redraws after live updates settle
      await page.screenshot(args[screenshot + 1]!);
    }
  } finally {
    await browser.close();
    await close();
  }
}
