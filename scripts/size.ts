import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundles } from '../bench/size/bundles.js';
import { bundleApp } from './bundle-app.js';

// `npm run size`: every bundle of bench/size/bundles.ts against its budget, beside the Workbox anchors.
const folder = join(dirname(fileURLToPath(import.meta.url)), '../bench/size');
const bytes = (n: number): string => `${n.toLocaleString('en-US')} B`;

let over = 0;
console.log('| bundle | min | gzip | budget (gzip) | target (gzip) |\n| --- | --- | --- | --- | --- |');
for (const { name, entry, gzipBudget, gzipTarget } of bundles) {
  const { minBytes, gzipBytes } = await bundleApp(join(folder, entry));
  let verdict = 'none';
  if (gzipBudget !== undefined) {
    const ok = gzipBytes <= gzipBudget;
    if (!ok) over++;
    verdict = `${bytes(gzipBudget)}: ${ok ? 'ok' : `OVER by ${bytes(gzipBytes - gzipBudget)}`}`;
  }
  const target = gzipTarget === undefined ? '' : `${bytes(gzipTarget)}: ${gzipBytes <= gzipTarget ? 'met' : `${bytes(gzipBytes - gzipTarget)} to cut`}`;
  console.log(`| ${name} | ${bytes(minBytes)} | ${bytes(gzipBytes)} | ${verdict} | ${target} |`);
}
if (over) {
  console.error(`\n${over} bundle(s) over budget (budgets: bench/size/bundles.ts).`);
  process.exitCode = 1;
}
