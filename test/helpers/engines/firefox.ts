/** Firefox ESR via puppeteer-core over WebDriver BiDi. */
import puppeteer, { type KeyInput } from 'puppeteer-core';
import type { BrowserSession, TestPage } from '../browser.js';
import { makeTestPage } from './common.js';

/**
 * Prefs that keep ALL traffic on loopback (verified with strace: no
 * non-loopback connect() and no DNS query, also while idling). Added on top
 * of puppeteer's defaults, which already switch off updates, telemetry and
 * safe-browsing downloads.
 */
const LOOPBACK_ONLY_PREFS: Record<string, string | number | boolean> = {
  // Remote settings (blocklists etc.). A data: URL is only honoured by release
  // builds when MOZ_REMOTE_SETTINGS_DEVTOOLS=1 is in the environment (see launch).
  'services.settings.server': 'data:,#remote-settings-dummy/v1',
  // These probe the network on their own schedule, partly via raw DNS.
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'dom.push.connection.enabled': false,
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  // Black-hole proxy: any http(s)/ws request to a non-loopback host goes to
  // 127.0.0.1:1 and fails with NS_ERROR_PROXY_CONNECTION_REFUSED, without a
  // DNS lookup (the proxy would resolve). Firefox never proxies localhost,
  // *.localhost, 127.0.0.1 or [::1], so test servers are unaffected.
  'network.proxy.type': 1, // manual
  'network.proxy.http': '127.0.0.1',
  'network.proxy.http_port': 1,
  'network.proxy.ssl': '127.0.0.1',
  'network.proxy.ssl_port': 1,
  'network.proxy.no_proxies_on': '',
  // Non-proxied lookups: DNS-over-HTTPS, DNS prefetch, "www." URL fix-up, SNTP.
  'network.trr.mode': 5, // off by choice
  'network.dns.disablePrefetch': true,
  'browser.fixup.alternate.enabled': false,
  'network.sntp.pools': '',
};

/** BiDi reports "firefox/153.7.0"; strip the name to match Chromium's format. */
function plainVersion(v: string): string {
  return v.replace(/^[^/]*\//, '');
}

/** With `userDataDir` the profile outlives the session (a browser restart on the same profile). */
export async function launchFirefox(executablePath: string, userDataDir?: string): Promise<BrowserSession> {
  const browser = await puppeteer.launch({
    browser: 'firefox', // implies protocol: 'webDriverBiDi' and, without userDataDir, a temp profile deleted on close
    executablePath,
    headless: true,
    extraPrefsFirefox: LOOPBACK_ONLY_PREFS,
    env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' },
    ...(userDataDir !== undefined && { userDataDir }),
  });
  return {
    engine: 'firefox',
    version: plainVersion(await browser.version()),
    async newPage(): Promise<TestPage> {
      // createBrowserContext() = BiDi browser.createUserContext = a Firefox
      // container; storage (SW registrations, IndexedDB, caches) is keyed by
      // userContextId, so each page gets its own partition. A persistent
      // profile's pages share its default context.
      const context = userDataDir === undefined ? await browser.createBrowserContext() : browser.defaultBrowserContext();
      const page = await context.newPage();
      const errors: string[] = [];
      // Firefox sends uncaught errors AND network/security errors such as CORS
      // failures as BiDi "javascript" log entries, which puppeteer maps to 'pageerror'.
      page.on('pageerror', (err) => errors.push(`pageerror: ${err instanceof Error ? err.message : String(err)}`));
      // puppeteer only forwards console entries while a 'console' listener exists.
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
      });
      return makeTestPage(
        {
          goto: async (url) => void (await page.goto(url, { waitUntil: 'load' })),
          reload: async () => void (await page.reload({ waitUntil: 'load' })),
          evaluate: (fn, arg) => page.evaluate(fn as never, arg),
          // puppeteer infers the image type from the extension of `path`.
          screenshot: async (path) => void (await page.screenshot({ path: path as `${string}.png` })),
          // Puppeteer's keyboard (BiDi input.performActions): its key names are ours but Space, which over
          // BiDi is the character; it has no chord syntax.
          async press(key, shift) {
            if (shift) await page.keyboard.down('Shift');
            await page.keyboard.press((key === 'Space' ? ' ' : key) as KeyInput);
            if (shift) await page.keyboard.up('Shift');
          },
          close: () => (userDataDir === undefined ? context.close() : page.close()),
        },
        errors,
      );
    },
    close: () => browser.close(),
  };
}
