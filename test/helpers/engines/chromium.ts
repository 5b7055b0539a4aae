/** Chromium via playwright-core (CDP). */
import { chromium, type BrowserContext } from 'playwright-core';
import type { BrowserSession, TestPage } from '../browser.js';
import { makeTestPage } from './common.js';

export const ARGS = [
  '--headless',
  '--no-sandbox', // e2e runs as root in containers, where the sandbox cannot start
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  // Keep all traffic on loopback: no field trials, component/safe-browsing updates, sync.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // The flags above are not enough: this Debian build still contacts
  // update.googleapis.com (extension updater) and accounts.google.com
  // (ListAccounts) shortly after start. So every host except loopback is mapped to
  // 127.0.0.1:1 (connection refused) before any DNS happens. Not ~NOTFOUND:
  // a failed top-level DNS navigation makes Chromium probe google.com via
  // 8.8.8.8. IP literals are matched too, hence the explicit loopback EXCLUDEs
  // (and "::1" must be written without brackets). A pattern matches the name as written, so a
  // trailing-dot spelling ("a.localhost.") needs its own EXCLUDE: without it, it went to 127.0.0.1:1.
  '--host-resolver-rules=MAP * 127.0.0.1:1, EXCLUDE localhost, EXCLUDE *.localhost, EXCLUDE *.localhost., EXCLUDE 127.0.0.1, EXCLUDE ::1',
];

export async function launchChromium(executablePath: string, userDataDir?: string): Promise<BrowserSession> {
  // Plain launch() gives a throw-away profile dir that playwright deletes on close; a persistent
  // context keeps its profile in userDataDir, for a browser restart on the same profile.
  // (The Debian /usr/bin/chromium wrapper prints a harmless "[: unexpected operator".)
  const browser = userDataDir === undefined ? await chromium.launch({ executablePath, args: ARGS }) : undefined;
  const persistent = userDataDir === undefined ? undefined : await chromium.launchPersistentContext(userDataDir, { executablePath, args: ARGS });
  return {
    engine: 'chromium',
    version: browser?.version() ?? (await versionOf(persistent!)),
    async newPage(): Promise<TestPage> {
      // A BrowserContext is an incognito-like partition: SW registrations,
      // IndexedDB, Cache Storage and cookies are private to it. A persistent
      // profile has one context, shared by its pages.
      const context = persistent ?? (await browser!.newContext());
      const page = await context.newPage();
      const errors: string[] = [];
      // Prefix the error name so the text matches what Firefox reports ("Error: boom").
      page.on('pageerror', (err) => errors.push(`pageerror: ${err.name}: ${err.message}`));
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
          // Playwright's keyboard (CDP Input.dispatchKeyEvent): its key names are ours.
          press: (key, shift) => page.keyboard.press(shift ? `Shift+${key}` : key),
          close: () => (persistent ? page.close() : context.close()),
          async stopServiceWorkers() {
            const cdp = await context.newCDPSession(page);
            await cdp.send('ServiceWorker.enable');
            await cdp.send('ServiceWorker.stopAllWorkers');
            await cdp.detach();
          },
        },
        errors,
      );
    },
    close: () => (persistent ?? browser!).close(),
  };
}

/** A persistent context has no Browser object to ask; CDP knows ("HeadlessChrome/156.0…"). */
async function versionOf(context: BrowserContext): Promise<string> {
  const cdp = await context.newCDPSession(context.pages()[0] ?? (await context.newPage()));
  const { product } = await cdp.send('Browser.getVersion');
  await cdp.detach();
  return product.replace(/^[^/]*\//, '');
}
