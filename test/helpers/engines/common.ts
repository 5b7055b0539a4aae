/** Engine-independent parts of TestPage, built on a minimal per-engine driver. */
import type { Key, TestPage } from '../browser.js';

/** What an engine must provide; everything else in TestPage is derived here. */
export interface PageDriver {
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A | undefined): Promise<R>;
  screenshot(path: string): Promise<void>;
  /** One key down and up, Shift held around it when `shift`. */
  press(key: NamedKey | string, shift: boolean): Promise<void>;
  close(): Promise<void>;
  /** Only where the engine's protocol can stop workers (Chromium's CDP); absent elsewhere. */
  stopServiceWorkers?(): Promise<void>;
}

/** The keys press() names; anything else must be one character. */
export type NamedKey = 'Tab' | 'Enter' | 'Space' | 'Backspace';
const NAMED: readonly string[] = ['Tab', 'Enter', 'Space', 'Backspace'];

/** `Shift+Tab` → Tab with Shift; a key no engine would know is refused here, not sent as something else. */
function parseKey(key: Key): { key: string; shift: boolean } {
  const shift = key.startsWith('Shift+');
  const name = shift ? key.slice('Shift+'.length) : key;
  if (!NAMED.includes(name) && [...name].length !== 1) throw new Error(`press(${JSON.stringify(key)}): give one of ${NAMED.join(', ')} (optionally Shift+), or one character`);
  return { key: name, shift };
}

const DEFAULT_CONTROLLER_TIMEOUT_MS = 10_000;

/** `errors` is the array the engine pushes page/console errors into as they arrive. */
export function makeTestPage(driver: PageDriver, errors: string[]): TestPage {
  return {
    goto: (url) => driver.goto(url),
    reload: () => driver.reload(),
    evaluate: (fn, arg) => driver.evaluate(fn, arg),
    screenshot: (path) => driver.screenshot(path),
    press: (key) => {
      const parsed = parseKey(key);
      return driver.press(parsed.key, parsed.shift);
    },
    close: () => driver.close(),
    pageErrors: () => [...errors],
    canStopServiceWorkers: driver.stopServiceWorkers !== undefined,
    async stopServiceWorkers() {
      if (!driver.stopServiceWorkers) throw new Error('this engine cannot stop service workers from the test; check canStopServiceWorkers first');
      await driver.stopServiceWorkers();
    },
    async waitForController(timeoutMs = DEFAULT_CONTROLLER_TIMEOUT_MS) {
      // Polled in the page (not via `.ready`): `.ready` resolves when a
      // registration is active, which is earlier than the page being
      // controlled (clients.claim() may still be pending, or never happen).
      const result = await driver.evaluate(waitInPage, timeoutMs);
      if (result !== 'ok') throw new Error(`waitForController: no controller after ${timeoutMs} ms (${result})`);
    },
  };
}

/** Runs in the page; must be self-contained because it is shipped as source text. */
async function waitInPage(timeoutMs: number): Promise<string> {
  const sw = navigator.serviceWorker;
  if (!sw) return 'navigator.serviceWorker is unavailable (not a secure context?)';
  if (sw.controller) return 'ok';
  const controlled = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    sw.addEventListener('controllerchange', () => {
      if (sw.controller) {
        clearTimeout(timer);
        resolve(true);
      }
    });
  });
  if (controlled || sw.controller) return 'ok';
  // Describe what state the SW is in to make the failure actionable.
  const reg = await sw.getRegistration();
  if (!reg) return 'no registration for this page';
  const state = (w: ServiceWorker | null) => (w ? w.state : 'none');
  return `registration scope=${reg.scope} installing=${state(reg.installing)} waiting=${state(reg.waiting)} active=${state(reg.active)}`;
}
