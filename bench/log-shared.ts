import { loadavg } from 'node:os';
import type { BrowserSession, TestPage } from '../test/helpers/browser.js';
import type { Stack } from '../test/helpers/stack.js';
import type { TestConfig } from '../test/fixtures/test-config.js';

/** What bench/log.ts and bench/log-indexes.ts share. */

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
/** The machine is shared: each run prints its load average at the start and the end. */
export const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

/** The page that writes to the log's database itself (bench/fixtures/log-writer-page.ts). */
export async function writerPage(browser: BrowserSession, stack: Stack): Promise<TestPage> {
  const page = await browser.newPage();
  await page.goto(`${stack.app.origin}/bench/log-writer.html`);
  return page;
}

/** One page per config, each controlled by its own worker (bench/log.ts, bench/log-indexes.ts). */
export async function controlledPages(browser: BrowserSession, stack: Stack, configs: Record<string, TestConfig>): Promise<Map<string, TestPage>> {
  const opened = new Map<string, TestPage>();
  for (const [name, config] of Object.entries(configs)) {
    const page = await browser.newPage();
    await page.goto(stack.pageUrl(config));
    await page.evaluate(() => window.crossrouteTest.ready);
    await page.waitForController();
    opened.set(name, page);
  }
  return opened;
}

/**
 * Milliseconds per fetch of `sample` sequential fetches of `url` (`.0`, `.1`… appended) from
 * `page`: a page's clock ticks in 0.1 ms steps (timer coarsening), 2% of one fetch, so one is too few.
 */
export function timeFetches(page: TestPage, url: string, sample: number): Promise<number> {
  return page.evaluate(
    async ({ url, sample }) => {
      const started = performance.now();
      for (let k = 0; k < sample; k++) await (await fetch(`${url}.${k}`)).text();
      return (performance.now() - started) / sample;
    },
    { url, sample },
  );
}
