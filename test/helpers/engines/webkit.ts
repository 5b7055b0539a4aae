/**
 * WebKit (WebKitGTK's MiniBrowser) via WebKitWebDriver, spoken to as plain W3C WebDriver over HTTP.
 *
 * WebKitWebDriver serves one session at a time and every session is a fresh ephemeral profile, so each
 * newPage() starts its own driver (on a free port) and session; all of a BrowserSession's pages share one
 * Xvfb display. Killing a driver leaves its MiniBrowser running, so the browser is stopped by PID.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { constants, readFileSync } from 'node:fs';
import { access, readdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import type { BrowserSession, TestPage } from '../browser.js';
import { makeTestPage } from './common.js';

const INSTALL = 'apt-get update && apt-get install -y webkit2gtk-driver xvfb';

/** The browser the driver starts: MINIBROWSER_PATH, or where Debian's webkit2gtk-driver puts it for this machine. */
export async function findMiniBrowser(): Promise<string> {
  const dirs = process.env.MINIBROWSER_PATH ? [] : (await readdir('/usr/lib').catch(() => [])).filter((d) => d.endsWith('-linux-gnu'));
  const candidates = process.env.MINIBROWSER_PATH ? [process.env.MINIBROWSER_PATH] : dirs.map((d) => `/usr/lib/${d}/webkit2gtk-4.1/MiniBrowser`);
  for (const path of candidates) {
    if (await access(path, constants.X_OK).then(() => true, () => false)) return path;
  }
  throw new Error(`webkit: MiniBrowser not found (looked at ${candidates.join(', ') || '/usr/lib/*-linux-gnu/webkit2gtk-4.1/'}). Install it with \`${INSTALL}\`, or set MINIBROWSER_PATH.`);
}

const LAUNCH_TIMEOUT_MS = 20_000;

/**
 * Every host but loopback goes to a proxy that refuses (127.0.0.1:1), so nothing leaves the machine and
 * no DNS lookup happens for it (the proxy would resolve). GLib's proxy resolver takes CIDR ranges in its
 * ignore list: the whole of 127.0.0.0/8 (the tests' 127.0.0.2 too) goes direct.
 */
const PROXY = {
  proxyType: 'manual',
  httpProxy: '127.0.0.1:1',
  sslProxy: '127.0.0.1:1',
  noProxy: ['localhost', '127.0.0.0/8', '::1'],
};

/** `--automation` lets the driver take the browser over; the features turn on navigator.storage. */
const BROWSER_ARGS = ['--automation', '--features=+StorageAPI,+StorageAPIEstimate'];

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

type Evaluated = { value: unknown; undefined: boolean } | { error: string };

export async function launchWebKit(driverPath: string, miniBrowserPath: string, userDataDir?: string): Promise<BrowserSession> {
  if (userDataDir !== undefined) {
    // MiniBrowser --automation always runs on an ephemeral website data manager: there is no profile to keep.
    throw new Error('webkit: a persistent profile (userDataDir) is not possible: MiniBrowser in automation mode always uses ephemeral storage');
  }
  const xvfb = await startXvfb();
  const version = await browserVersion(miniBrowserPath, xvfb.display);
  const pages = new Set<TestPage>();
  return {
    engine: 'webkit',
    version,
    async newPage() {
      const page = await openPage(driverPath, miniBrowserPath, xvfb.display, () => pages.delete(page));
      pages.add(page);
      return page;
    },
    async close() {
      await Promise.all([...pages].map((page) => page.close().catch(() => undefined)));
      await stop(xvfb.process);
    },
  };
}

/** "WebKitGTK 2.50.6" → "2.50.6" (what a session reports as browserVersion), without starting a session. */
async function browserVersion(miniBrowserPath: string, display: string): Promise<string> {
  const { stdout } = await promisify(execFile)(miniBrowserPath, ['--version'], { env: { ...process.env, DISPLAY: display } });
  return stdout.trim().replace(/^\D*/, '');
}

async function startXvfb(): Promise<{ process: ChildProcess; display: string }> {
  // -displayfd: Xvfb picks a free display itself and writes its number to fd 3 once it accepts clients.
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
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
  display: string,
  onClose: () => void,
): Promise<TestPage> {
  const { driver, base } = await startDriver(driverPath, display);
  let created: { sessionId: string };
  try {
    created = await command<typeof created>(base, 'POST', '/session', {
      capabilities: {
        alwaysMatch: {
          browserName: 'MiniBrowser',
          proxy: PROXY,
          'webkitgtk:browserOptions': { binary: miniBrowserPath, args: BROWSER_ARGS },
        },
      },
    });
  } catch (e) {
    await stop(driver);
    throw e;
  }
  const browserPid = childPids(driver.pid!)[0];
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

  return makeTestPage(
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
      async close() {
        if (closed) return;
        closed = true;
        clearInterval(poller);
        onClose();
        await call('DELETE', '').catch(() => undefined);
        await stop(driver);
        if (browserPid !== undefined) killQuietly(browserPid);
      },
    },
    errors,
  );
}

async function startDriver(driverPath: string, display: string): Promise<{ driver: ChildProcess; base: string }> {
  const deadline = Date.now() + LAUNCH_TIMEOUT_MS;
  for (;;) {
    const port = await freePort();
    const driver = spawn(driverPath, [`--port=${port}`, '--host=local'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, DISPLAY: display },
    });
    const stderr: string[] = [];
    driver.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const base = `http://127.0.0.1:${port}`;
    // Ready once /status answers; an exit means the port was taken between freePort() and now: try another.
    while (driver.exitCode === null && driver.signalCode === null) {
      const ready = await fetch(`${base}/status`).then((r) => r.ok, () => false);
      if (ready) return { driver, base };
      if (Date.now() > deadline) {
        await stop(driver);
        throw new Error(`WebKitWebDriver did not answer on port ${port} within ${LAUNCH_TIMEOUT_MS} ms: ${stderr.join('').trim()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (Date.now() > deadline) throw new Error(`WebKitWebDriver exited: ${stderr.join('').trim()}`);
  }
}

async function command<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const t0 = Date.now();
  const slow = setTimeout(() => console.log('DBG slow', method, path, JSON.stringify(body)?.slice(0, 300)), 8000);
  try { return await command2<T>(base, method, path, body); } finally { clearTimeout(slow); if (Date.now() - t0 > 8000) console.log('DBG took', Date.now() - t0, path); }
}
async function command2<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
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

/** Direct children of `pid`, from procfs: the driver's only child is the MiniBrowser it started. */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
