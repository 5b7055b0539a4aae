/**
 * Engine-neutral browser interface for the real-browser e2e tests.
 *
 * A test asks for `launch(engine)` and only ever talks to `BrowserSession` /
 * `TestPage`; everything engine-specific (drivers, flags, prefs, quirks) lives
 * in `./engines/*`. Chromium is driven by playwright-core (CDP), Firefox ESR by
 * puppeteer-core (WebDriver BiDi), WebKitGTK's MiniBrowser by WebKitWebDriver (W3C
 * WebDriver over HTTP) on an Xvfb display. We never download browsers: the system
 * ones (or CHROME_PATH / FIREFOX_PATH / WEBKIT_DRIVER_PATH) are used.
 *
 * Every engine is confined to loopback: requests to any other host fail with
 * "connection refused" (no DNS lookup), so a test that accidentally depends on
 * the internet fails fast instead of leaking traffic.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';

export type EngineName = 'chromium' | 'firefox' | 'webkit';

export interface BrowserSession {
  readonly engine: EngineName;
  /** Browser version string, e.g. "156.0.8078.79" or "153.7.0esr". */
  readonly version: string;
  /**
   * Opens a page in a FRESH isolated context: service-worker registrations,
   * IndexedDB, Cache Storage and cookies are not shared with pages from other
   * newPage() calls. (Chromium: a new BrowserContext; Firefox: a new BiDi user
   * context, i.e. a container, which partitions storage by userContextId;
   * WebKit: a new WebDriver session, i.e. a new MiniBrowser with an ephemeral
   * profile.) Launched with `userDataDir`, pages share the profile's one context
   * instead (not in WebKit: see `keepsProfiles`).
   */
  newPage(): Promise<TestPage>;
  close(): Promise<void>;
}

export interface TestPage {
  /** Navigates and waits for the `load` event. */
  goto(url: string): Promise<void>;
  /** Reloads and waits for the `load` event. */
  reload(): Promise<void>;
  /** Runs `fn` in the page's main world; `fn` is sent as source text, so it must not close over test variables. `arg` must be JSON-serialisable. */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  /** Resolves once `navigator.serviceWorker.controller` is non-null (not merely `.ready`). */
  waitForController(timeoutMs?: number): Promise<void>;
  /**
   * Uncaught page errors ("pageerror: Error: msg") and console errors
   * ("console.error: msg") of this page collected so far. Includes CORS
   * failures in both engines; Chromium also reports failed subresource loads
   * (e.g. a 404 favicon). Errors raised inside the service worker are NOT
   * included (neither driver forwards them as page events).
   */
  pageErrors(): string[];
  screenshot(path: string): Promise<void>;
  /**
   * Sends a real key press (down and up, trusted events) to the focused element, through the engine's
   * driver: `Tab`, `Shift+Tab`, `Enter`, `Space`, `Backspace`, or one printable character.
   */
  press(key: Key): Promise<void>;
  /** Whether stopServiceWorkers() works here: Chromium (CDP ServiceWorker.stopAllWorkers) yes, Firefox no. */
  readonly canStopServiceWorkers: boolean;
  /** Stops every running service worker of the browser, as the browser does to idle workers; they restart on the next event. */
  stopServiceWorkers(): Promise<void>;
  /** Closes the page and its private context. */
  close(): Promise<void>;
}

/** A key TestPage.press() sends: a named key (Shift+ for Tab) or one printable character. */
export type Key = 'Tab' | 'Shift+Tab' | 'Enter' | 'Space' | 'Backspace' | (string & {});

const ENGINES: readonly EngineName[] = ['chromium', 'firefox', 'webkit'];

/**
 * Whether launch() with `userDataDir` can restart a browser on its profile. Not WebKit: MiniBrowser
 * under automation (the only way WebKitWebDriver can drive it) always uses ephemeral website data.
 */
export function keepsProfiles(engine: EngineName): boolean {
  return engine !== 'webkit';
}

/**
 * The mode a font load (`@font-face` or `FontFace`) is requested in: cors, as CSS Fonts says, in Chromium
 * and Firefox; no-cors in WebKit, which also renders an opaque font (measured in WebKitGTK 2.50).
 */
export function fontRequestMode(engine: EngineName): 'cors' | 'no-cors' {
  return engine === 'webkit' ? 'no-cors' : 'cors';
}

/** Engines to run, from BROWSERS (comma list), default all three. */
export function enginesFromEnv(): EngineName[] {
  const raw = process.env.BROWSERS?.trim() || ENGINES.join(',');
  const names = raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const unknown = names.filter((n) => !(ENGINES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new Error(
      `BROWSERS contains unknown engine(s) ${unknown.map((n) => JSON.stringify(n)).join(', ')}; ` +
        `valid engines are: ${ENGINES.join(', ')}`,
    );
  }
  return [...new Set(names)] as EngineName[];
}

interface EngineSetup {
  envVar: string;
  defaultPath: string;
  aptPackage: string;
}

const SETUP: Record<EngineName, EngineSetup> = {
  chromium: { envVar: 'CHROME_PATH', defaultPath: '/usr/bin/chromium', aptPackage: 'chromium' },
  firefox: { envVar: 'FIREFOX_PATH', defaultPath: '/usr/bin/firefox-esr', aptPackage: 'firefox-esr' },
  // The driver starts the MiniBrowser (same package) on an Xvfb display.
  webkit: { envVar: 'WEBKIT_DRIVER_PATH', defaultPath: '/usr/bin/WebKitWebDriver', aptPackage: 'webkit2gtk-driver xvfb' },
};

export interface LaunchOptions {
  /**
   * A profile directory that outlives the session: close the browser and launch again on the same
   * directory to restart it with its service workers and storage. Pages then share the profile's
   * one context instead of getting a fresh one each.
   */
  userDataDir?: string;
}

/** Launches `engine` with a throw-away profile (or `userDataDir`). Throws an install hint if the executable is missing. */
export async function launch(engine: EngineName, options: LaunchOptions = {}): Promise<BrowserSession> {
  const setup = SETUP[engine];
  if (!setup) throw new Error(`Unknown engine ${JSON.stringify(engine)}; valid engines are: ${ENGINES.join(', ')}`);
  const executablePath = process.env[setup.envVar] || setup.defaultPath;
  try {
    await access(executablePath, constants.X_OK);
  } catch {
    throw new Error(
      `${engine} executable not found at ${executablePath}. Install it with ` +
        `\`apt-get update && apt-get install -y ${setup.aptPackage}\`, ` +
        `or set ${setup.envVar} to an existing ${engine} binary.`,
    );
  }
  // Imported lazily so a Firefox-only run never loads playwright and vice versa.
  if (engine === 'chromium') return (await import('./engines/chromium.js')).launchChromium(executablePath, options.userDataDir);
  if (engine === 'firefox') return (await import('./engines/firefox.js')).launchFirefox(executablePath, options.userDataDir);
  const webkit = await import('./engines/webkit.js');
  return webkit.launchWebKit(executablePath, await webkit.findMiniBrowser(), options.userDataDir);
}
