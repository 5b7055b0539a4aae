/**
 * WebKit (WebKitGTK's MiniBrowser) via WebKitWebDriver, spoken to as plain W3C WebDriver over HTTP.
 *
 * WebKitWebDriver serves one session at a time and a MiniBrowser under automation always has an
 * ephemeral profile, so each newPage() starts its own MiniBrowser and driver; all of a BrowserSession's
 * pages have a display each (an Xvfb): on a shared one, the spare page's window, mapped while a test
 * typed into the current one, took the keyboard focus from it (document.hasFocus() false, so neither
 * :focus nor :focus-visible matched; 3 failures in 9 runs of the panel's keyboard test, none in 4 with
 * the spare off). We start the MiniBrowser ourselves and point the driver at it
 * (--target) instead of letting the driver launch it. A driver that launches the browser picks its
 * inspector port (WEBKIT_INSPECTOR_SERVER) by itself and then waits for it with no deadline: we saw
 * `POST /session` never answer, with no MiniBrowser of that driver alive and drivers of killed runs
 * still connecting. Here the port is checked to be our browser's before a driver connects, and every
 * process is ours to stop by PID (killing a driver leaves its browser running).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import type { BrowserSession, TestPage } from '../browser.js';
import { makeTestPage } from './common.js';

const INSTALL = 'apt-get update && apt-get install -y webkit2gtk-driver xvfb';

/** The browser each page runs in: MINIBROWSER_PATH, or where Debian's webkit2gtk-driver puts it for this machine. */
export async function findMiniBrowser(): Promise<string> {
  const dirs = process.env.MINIBROWSER_PATH ? [] : (await readdir('/usr/lib').catch(() => [])).filter((d) => d.endsWith('-linux-gnu'));
  const candidates = process.env.MINIBROWSER_PATH ? [process.env.MINIBROWSER_PATH] : dirs.map((d) => `/usr/lib/${d}/webkit2gtk-4.1/MiniBrowser`);
  for (const path of candidates) {
    if (await access(path, constants.X_OK).then(() => true, () => false)) return path;
  }
  throw new Error(`webkit: MiniBrowser not found (looked at ${candidates.join(', ') || '/usr/lib/*-linux-gnu/webkit2gtk-4.1/'}). Install it with \`${INSTALL}\`, or set MINIBROWSER_PATH.`);
}

const LAUNCH_TIMEOUT_MS = 20_000;

const BROWSER_ARGS = [
  // Lets a driver take the browser over (and makes its storage ephemeral).
  '--automation',
  // navigator.storage and its estimate() are off by default in WebKitGTK.
  '--features=+StorageAPI,+StorageAPIEstimate',
  // Every host but loopback goes to a proxy that refuses (127.0.0.1:1), so nothing leaves the machine
  // and no DNS lookup happens for it (the proxy would resolve). GLib's proxy resolver takes CIDR
  // ranges: all of 127.0.0.0/8 (the tests' 127.0.0.2 too) goes direct. Checked with a listening proxy.
  // "localhost" covers its subdomains but not their trailing-dot spelling ("a.localhost."), which
  // went to the refusing proxy until "localhost." was added (test/e2e/rules-sidestep.test.ts).
  '--proxy=http://127.0.0.1:1',
  '--ignore-host=localhost',
  '--ignore-host=localhost.',
  '--ignore-host=127.0.0.0/8',
  '--ignore-host=::1',
];

/** Every process this module started and has not stopped: killed if the test process exits first. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Injected after every load: WebDriver has no console endpoint and no way to run a script before the
 * page's own, so only console.error calls, uncaught errors and unhandled rejections from then on are seen
 * (not the browser's own messages, such as CORS refusals).
 */
const COLLECTOR = `
  if (!window.__testErrors) {
    const errors = (window.__testErrors = []);
    const text = (v) => (v instanceof Error ? v.name + ': ' + v.message : String(v));
    const original = console.error;
    console.error = function (...args) {
      errors.push('console.error: ' + args.map(text).join(' '));
      return original.apply(this, args);
    };
    addEventListener('error', (e) => errors.push('pageerror: ' + text(e.error ?? e.message)));
    addEventListener('unhandledrejection', (e) => errors.push('pageerror: ' + text(e.reason)));
  }
`;
const DRAIN = `return window.__testErrors ? window.__testErrors.splice(0) : [];`;
const ERROR_POLL_MS = 200;

/** Runs in the page: `fn` arrives as source text, its result goes back wrapped so `undefined` and errors survive JSON. */
const EVALUATE = `
  const [source, arg, done] = arguments;
  Promise.resolve()
    .then(() => (0, eval)('(' + source + ')')(arg))
    .then(
      (value) => done({ value: value === undefined ? null : value, undefined: value === undefined }),
      (e) => done({ error: e instanceof Error ? e.name + ': ' + e.message : String(e) }),
    );
`;

/** WebDriver's code points for the named keys (WebDriver, "Keyboard actions"); a character is sent as itself. */
const WEBDRIVER_KEYS: Record<string, string> = { Tab: '\uE004', Enter: '\uE007', Space: '\uE00D', Backspace: '\uE003' };
const SHIFT = '\uE008';

type Evaluated = { value: unknown; undefined: boolean } | { error: string };

export async function launchWebKit(driverPath: string, miniBrowserPath: string, userDataDir?: string): Promise<BrowserSession> {
  if (userDataDir !== undefined) {
    // MiniBrowser --automation always runs on an ephemeral website data manager: there is no profile to keep.
    throw new Error('webkit: a persistent profile (userDataDir) is not possible: MiniBrowser in automation mode always uses ephemeral storage');
  }
  const version = await browserVersion(miniBrowserPath);
  const pages = new Set<TestPage>();
  const open = (): Promise<TestPage> => openPage(driverPath, miniBrowserPath, (page) => pages.delete(page));
  // Starting a browser and a session takes 1–3 s: the next page's is started while the test uses this one.
  let spare: Promise<TestPage> | undefined;
  return {
    engine: 'webkit',
    version,
    async newPage() {
      const ready = spare;
      spare = open();
      spare.catch(() => undefined); // its failure is reported by the newPage() that takes it
      const page = await (ready ?? open());
      pages.add(page);
      return page;
    },
    async close() {
      // The spare may still be starting (slow under load): it is awaited and closed, as the test process
      // may be ended right after this close, leaving a browser on its own display behind.
      const starting = spare;
      spare = undefined;
      await Promise.all([...pages].map((page) => page.close().catch(() => undefined)));
      await starting?.then((page) => page.close(), () => undefined);
    },
  };
}

/** "WebKitGTK 2.50.6" → "2.50.6" (what a session reports as browserVersion), without starting a session. */
async function browserVersion(miniBrowserPath: string): Promise<string> {
  const xvfb = await startXvfb();
  try {
    const { stdout } = await promisify(execFile)(miniBrowserPath, ['--version'], { env: { ...process.env, DISPLAY: xvfb.display } });
    return stdout.trim().replace(/^\D*/, '');
  } finally {
    await stop(xvfb.process);
  }
}

async function startXvfb(): Promise<{ process: ChildProcess; display: string }> {
  // -displayfd: Xvfb picks a free display itself and writes its number to fd 3 once it accepts clients.
  const child = track(spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] }));
  const stderr = collect(child);
  const number = await new Promise<string>((resolve, reject) => {
    let out = '';
    const fail = (why: string) =>
      reject(new Error(`Xvfb did not start (${why}): ${stderr.join('').trim()}. It comes with \`${INSTALL}\`.`));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('error', (e) => fail(e.message));
    child.once('exit', (code) => fail(`exit code ${code}`));
    setTimeout(() => fail('timeout'), LAUNCH_TIMEOUT_MS).unref();
  });
  return { process: child, display: `:${number}` };
}

async function openPage(
  driverPath: string,
  miniBrowserPath: string,
  onClose: (page: TestPage) => void,
): Promise<TestPage> {
  const xvfb = await startXvfb();
  let browser: { process: ChildProcess; inspector: string } | undefined;
  let driver: Driver | undefined;
  let created: { sessionId: string };
  try {
    browser = await startMiniBrowser(miniBrowserPath, xvfb.display);
    driver = await startDriver(driverPath, ['--target=' + browser.inspector]);
    created = await command<typeof created>(driver.base, 'POST', '/session', { capabilities: { alwaysMatch: { browserName: 'MiniBrowser' } } });
  } catch (e) {
    await Promise.all([driver && stop(driver.process), browser && stop(browser.process)]);
    await stop(xvfb.process);
    throw e;
  }
  const ownBrowser = browser;
  const base = driver.base;
  const url = `${base}/session/${created.sessionId}`;
  const call = <T>(method: string, path: string, body?: unknown) => command<T>(url, method, path, body);
  // evaluate() waits as long as its test does: the test's own timeout is the limit.
  await call('POST', '/timeouts', { script: null, pageLoad: 60_000 });

  const errors: string[] = [];
  let busy = 0;
  let closed = false;
  /** Every WebDriver command goes through here, so the error poller only speaks when nothing else does. */
  const run = async <T>(fn: () => Promise<T>): Promise<T> => {
    busy++;
    try {
      return await fn();
    } finally {
      busy--;
    }
  };
  const drain = async () => errors.push(...(await call<string[]>('POST', '/execute/sync', { script: DRAIN, args: [] })));
  const inject = () => call('POST', '/execute/sync', { script: COLLECTOR, args: [] });
  const poller = setInterval(() => {
    if (busy === 0 && !closed) void run(drain).catch(() => undefined);
  }, ERROR_POLL_MS);
  const navigate = (go: () => Promise<unknown>) =>
    run(async () => {
      await drain().catch(() => undefined); // what the old document collected
      await go();
      await inject();
    });

  const page = makeTestPage(
    {
      goto: (target) => navigate(() => call('POST', '/url', { url: target })),
      reload: () => navigate(() => call('POST', '/refresh', {})),
      evaluate: <R, A>(fn: (arg: A) => R | Promise<R>, arg: A | undefined) =>
        run(async () => {
          const result = await call<Evaluated>('POST', '/execute/async', { script: EVALUATE, args: [fn.toString(), arg ?? null] });
          if ('error' in result) throw new Error(result.error);
          return (result.undefined ? undefined : result.value) as R;
        }),
      screenshot: (path) => run(async () => writeFile(path, Buffer.from(await call<string>('GET', '/screenshot'), 'base64'))),
      // WebDriver Actions: one key input source, its down and up (Shift's around them) in one call.
      press: (key, shift) =>
        run(async () => {
          const value = WEBDRIVER_KEYS[key] ?? key;
          const keys = [{ type: 'keyDown', value }, { type: 'keyUp', value }];
          const actions = shift ? [{ type: 'keyDown', value: SHIFT }, ...keys, { type: 'keyUp', value: SHIFT }] : keys;
          await call('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
        }),
      async close() {
        if (closed) return;
        closed = true;
        clearInterval(poller);
        onClose(page);
        // Ending the session is a courtesy to the driver, which is stopped next anyway: not awaited, as
        // a browser stuck in a page would hold it.
        void call('DELETE', '').catch(() => undefined);
        await Promise.all([stop(driver.process), stop(ownBrowser.process)]);
        await stop(xvfb.process);
      },
    },
    errors,
  );
  return page;
}

interface Driver {
  process: ChildProcess;
  base: string;
}

/** A MiniBrowser whose inspector server (what the driver connects to) listens on `inspector`. */
async function startMiniBrowser(path: string, display: string): Promise<{ process: ChildProcess; inspector: string }> {
  const { child, port } = await startOnFreePort(
    'MiniBrowser',
    (port) => spawn(path, BROWSER_ARGS, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DISPLAY: display, WEBKIT_INSPECTOR_SERVER: `127.0.0.1:${port}` } }),
    (child, port) => listensOn(child.pid!, port),
  );
  return { process: child, inspector: `127.0.0.1:${port}` };
}

async function startDriver(path: string, args: string[]): Promise<Driver> {
  const { child, port } = await startOnFreePort(
    'WebKitWebDriver',
    (port) => spawn(path, [`--port=${port}`, '--host=local', ...args], { stdio: ['ignore', 'ignore', 'pipe'] }),
    (_child, port) => fetch(`http://127.0.0.1:${port}/status`).then((r) => r.ok, () => false),
  );
  return { process: child, base: `http://127.0.0.1:${port}` };
}

/**
 * Starts a process that must listen on a port it is given, until `ready` says it does. Someone else may
 * take the port between freePort() and the process binding it: then it exits or never gets ready, and
 * the next free port is tried, until the deadline.
 */
async function startOnFreePort(
  name: string,
  start: (port: number) => ChildProcess,
  ready: (child: ChildProcess, port: number) => Promise<boolean>,
): Promise<{ child: ChildProcess; port: number }> {
  const deadline = Date.now() + LAUNCH_TIMEOUT_MS;
  for (;;) {
    const port = await freePort();
    const child = track(start(port));
    const stderr = collect(child);
    while (alive(child) && Date.now() < deadline) {
      if (await ready(child, port)) return { child, port };
      await sleep(50);
    }
    await stop(child);
    if (Date.now() >= deadline) throw new Error(`${name} was not ready within ${LAUNCH_TIMEOUT_MS} ms: ${stderr.join('').trim()}`);
  }
}

async function command<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as { value: T & { error?: string; message?: string } };
  if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value.error}: ${json.value.message}`);
  return json.value;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether process `pid` has a listening TCP socket on 127.0.0.1:`port` (its socket inodes against /proc/net/tcp). */
async function listensOn(pid: number, port: number): Promise<boolean> {
  const hex = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const table = await readFile(`/proc/${pid}/net/tcp`, 'utf8').catch(() => '');
  // Columns: sl local_address rem_address st … inode; st 0A is LISTEN.
  const inodes = table
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[1] === hex && cols[3] === '0A')
    .map((cols) => cols[9]);
  if (inodes.length === 0) return false;
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
  const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  return links.some((link) => inodes.some((inode) => link === `socket:[${inode}]`));
}

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function collect(child: ChildProcess): string[] {
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  return stderr;
}

const alive = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function stop(child: ChildProcess): Promise<void> {
  if (!alive(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
