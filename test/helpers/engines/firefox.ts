/** Firefox ESR via puppeteer-core over WebDriver BiDi. */
import puppeteer from 'puppeteer-core';
import type { BrowserSession, TestPage } from '../browser.js';
import { makeTestPage } from './common.js';

/**
 * Prefs that keep ALL traffic on loopback. puppeteer's own defaults already
 * disable most updaters but point several services at http://dummy.test/,
 * which still costs a DNS lookup, so those are overridden too.
 */
const LOOPBACK_ONLY_PREFS: Record<string, unknown> = {
  // Remote settings (blocklists, etc.). A data: URL is only honoured by release
  // builds when MOZ_REMOTE_SETTINGS_DEVTOOLS=1 is in the environment (see below).
  'services.settings.server': 'data:,#remote-settings-dummy/v1',
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'dom.push.connection.enabled': false,
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'app.update.enabled': false,
  'app.update.auto': false,
  'app.normandy.enabled': false,
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.google.updateURL': '',
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.server': '',
  'datareporting.healthreport.uploadEnabled': false,
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.webservice.discoverURL': '',
  'network.sntp.pools': '',
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.predictor.enabled': false,
  'network.http.speculative-parallel-limit': 0,
  'browser.newtabpage.activity-stream.feeds.section.topstories': false,
  'browser.newtabpage.activity-stream.feeds.snippets': false,
  'browser.topsites.contile.enabled': false,
  'browser.ping-centre.telemetry': false,
  'media.gmp-manager.updateEnabled': false,
  'security.OCSP.enabled': 0,
};

/** BiDi reports "firefox/153.7.0esr"; strip the name to match Chromium's format. */
function plainVersion(v: string): string {
  return v.replace(/^[^/]*\//, '');
}

export async function launchFirefox(executablePath: string): Promise<BrowserSession> {
  const browser = await puppeteer.launch({
    browser: 'firefox', // implies protocol: 'webDriverBiDi' and a temp profile deleted on close
    executablePath,
    headless: true,
    extraPrefsFirefox: LOOPBACK_ONLY_PREFS,
    env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' },
  });
  return {
    engine: 'firefox',
    version: plainVersion(await browser.version()),
    async newPage(): Promise<TestPage> {
      // createBrowserContext() = BiDi browser.createUserContext = a Firefox
      // container; storage (SW registrations, IndexedDB, caches) is keyed by
      // userContextId, so each page gets its own partition.
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      const errors: string[] = [];
      // Firefox sends uncaught errors AND network/security errors such as CORS
      // failures as BiDi "javascript" log entries, which puppeteer maps to 'pageerror'.
      page.on('pageerror', (err) => errors.push(`pageerror: ${(err as Error).message ?? String(err)}`));
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
          close: () => context.close(),
        },
        errors,
      );
    },
    close: () => browser.close(),
  };
}
