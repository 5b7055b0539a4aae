/** Chromium via playwright-core (CDP). */
import { chromium } from 'playwright-core';
import type { BrowserSession, TestPage } from '../browser.js';
import { makeTestPage } from './common.js';

const ARGS = [
  '--headless',
  '--no-sandbox', // e2e runs as root in containers, where the sandbox cannot start
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  // Keep all traffic on loopback: no field trials, component/safe-browsing updates, sync.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(executablePath: string): Promise<BrowserSession> {
  // Plain launch() gives a throw-away profile dir that playwright deletes on close.
  // (The Debian /usr/bin/chromium wrapper prints a harmless "[: unexpected operator".)
  const browser = await chromium.launch({ executablePath, args: ARGS });
  return {
    engine: 'chromium',
    version: browser.version(),
    async newPage(): Promise<TestPage> {
      // A BrowserContext is an incognito-like partition: SW registrations,
      // IndexedDB, Cache Storage and cookies are private to it.
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
      // Also carries CDP Log.entryAdded entries, which is where Chromium puts
      // network-level errors such as "blocked by CORS policy".
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
      });
      return makeTestPage(
        {
          goto: async (url) => void (await page.goto(url, { waitUntil: 'load' })),
          reload: async () => void (await page.reload({ waitUntil: 'load' })),
          // playwright's PageFunction typing is stricter than ours; same runtime contract.
          evaluate: (fn, arg) => page.evaluate(fn as never, arg),
          screenshot: async (path) => void (await page.screenshot({ path })),
          close: () => context.close(),
        },
        errors,
      );
    },
    close: () => browser.close(),
  };
}
