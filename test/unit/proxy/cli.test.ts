import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../../demo/lab/server.js';
import { cliServer } from '../../../src/proxy/cli-server.js';

/**
 * `crossroute-proxy`, the standalone CLI, run as a process: its source bundled once with esbuild
 * (a process compiling it with tsx takes seconds to start on a busy machine), laid out as in the
 * package (package.json two levels up, for --version), inside node_modules so its dependencies resolve.
 */
const SOURCE = fileURLToPath(new URL('../../../src/proxy/cli.ts', import.meta.url));
const PACKAGE = fileURLToPath(new URL('../../../package.json', import.meta.url));
const CACHE = fileURLToPath(new URL('../../../node_modules/.cache/crossroute-proxy-cli/', import.meta.url));
const APP = 'http://localhost:5173';
let dir: string;
let cli: string;

beforeAll(async () => {
  await mkdir(CACHE, { recursive: true });
  dir = await mkdtemp(join(CACHE, 'cli-'));
  cli = join(dir, 'dist', 'proxy', 'cli.mjs');
  await build({ entryPoints: [SOURCE], bundle: true, packages: 'external', platform: 'node', format: 'esm', outfile: cli, logLevel: 'silent' });
  await copyFile(PACKAGE, join(dir, 'package.json'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function run(args: string[]): { lines: AsyncIterator<string>; exit: Promise<{ code: number | null; stderr: string }>; kill(): void } {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    lines: createInterface({ input: child.stdout })[Symbol.asyncIterator](),
    // 'close', not 'exit': the exit can be seen before the last of stderr has been read.
    exit: new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr }))),
    kill: () => child.kill(),
  };
}

describe('crossroute-proxy (CLI)', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ appOrigin: APP });
  });
  afterAll(() => lab?.close());

  it('refuses to start without --allow, and says how to allow', async () => {
    const { code, stderr } = await run([]).exit;
    expect(code).toBe(2);
    expect(stderr).toMatch(/--allow is empty: the proxy is closed by default/);
    expect(stderr).toContain('usage: crossroute-proxy --allow <origin>');
  });

  it('refuses the millisecond flags of earlier versions with exit 2, naming the flag in seconds', async () => {
    for (const [old, now] of [['--timeout-ms', '--timeout-seconds'], ['--deadline-ms', '--deadline-seconds']]) {
      const { code, stderr } = await run(['--allow', 'https://api.example.com', old!, '5000']).exit;
      expect(code).toBe(2);
      expect(stderr).toContain(`${old} is now ${now}, in seconds`);
    }
  });

  it('names a duration flag out of range, in seconds', async () => {
    expect((await run(['--allow', 'https://api.example.com', '--deadline-seconds', '0']).exit).stderr).toMatch(/--deadline-seconds must be a number of seconds from 0\.001 to 3600 \(got 0\)/);
  });

  it('names the flag that is wrong', async () => {
    expect((await run(['--allow', 'https://api.example.com', '--timeout-seconds', 'soon']).exit).stderr).toMatch(/--timeout-seconds must be a number of seconds such as 10 or 2\.5 \(got "soon"\)/);
    expect((await run(['--allow', 'https://api.example.com', '--app-origin', 'https://app.example/']).exit).stderr).toMatch(/--app-origin\[0\] must be an origin/);
  });

  it('serves ?url= on its port with the address guard on: a loopback target is refused, and the refusal is logged', async () => {
    const cli = run(['--allow', lab.origin, '--app-origin', APP, '--port', '0']);
    try {
      const started = (await cli.lines.next()).value as string;
      const [, base] = /^crossroute-proxy on (http:\/\/127\.0\.0\.1:\d+)\/\?url=<target>$/.exec(started) ?? [];
      expect(base).toBeDefined();
      const response = await fetch(`${base}/?url=${encodeURIComponent(`${lab.origin}/no-cors`)}`, { headers: { origin: APP } });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: 'address-not-allowed' });
      expect(response.headers.get('access-control-allow-origin')).toBe(APP);
      expect((await cli.lines.next()).value).toMatch(new RegExp(`^403 GET ${lab.origin}/no-cors address-not-allowed \\d+ ms: .*loopback`));
      expect(lab.records()).toEqual([]);
    } finally {
      cli.kill();
    }
  });

  it('exits 2 naming every bad flag, --port 99999 included, without a stack', async () => {
    const allow = ['--allow', 'https://api.example.com'];
    const cases = [
      [['--port', '99999'], /--port must be from 0 to 65535 \(got 99999\)/],
      [['--port', 'http'], /--port must be a whole number/],
      [['--max-in-flight', '0'], /--max-in-flight must be a whole number from 1/],
      [['--expose-header', 'set-cookie'], /--expose-header\[0\]: set-cookie is decided by the proxy/],
      [['--admit-loopback', '10.0.0.1:80'], /--admit-loopback\[0\] must be a loopback IP literal with a port/],
      [['--token', 'short'], /--token must be at least 16 characters/],
      [['--bogus'], /Unknown option '--bogus'/],
      [['--port', new URL(lab.origin).port], new RegExp(`cannot listen with --host 127\\.0\\.0\\.1 --port ${new URL(lab.origin).port}: .*EADDRINUSE`)],
    ] as const;
    const exits = await Promise.all(cases.map(([args]) => run([...allow, ...args]).exit));
    cases.forEach(([args, message], index) => {
      expect(exits[index]!.code, args.join(' ')).toBe(2);
      expect(exits[index]!.stderr).toMatch(message);
      expect(exits[index]!.stderr).not.toMatch(/\n\s+at /);
    });
    // Eight Node processes starting at once: CPU time, a few seconds of it on a busy 2-core machine.
  }, 20_000);

  it("gives its server less than Node's defaults: 10 s for headers, 30 s per request, 1,024 connections", () => {
    const server = cliServer(() => undefined);
    expect({ headersTimeout: server.headersTimeout, requestTimeout: server.requestTimeout, maxConnections: server.maxConnections }).toEqual({
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      maxConnections: 1024,
    });
  });

  it('prints its version', async () => {
    const cli = run(['--version']);
    expect((await cli.lines.next()).value).toMatch(/^crossroute-proxy \d+\.\d+\.\d+$/);
    expect((await cli.exit).code).toBe(0);
  });

  it('escapes control characters of the target in its log lines', async () => {
    const cli = run(['--allow', lab.origin, '--app-origin', APP, '--port', '0']);
    try {
      const [, base] = /(http:\/\/127\.0\.0\.1:\d+)/.exec((await cli.lines.next()).value as string) ?? [];
      const forged = `${lab.origin}/x\r\n200 GET https://bank.example/ upstream 200 1 ms\u001b[2J`;
      expect((await fetch(`${base}/?url=${encodeURIComponent(forged)}`, { headers: { origin: APP } })).status).toBe(400);
      const line = (await cli.lines.next()).value as string;
      expect(line).toMatch(/^400 GET .*\/x\\x0d\\x0a200 GET https:\/\/bank\.example\/ upstream 200 1 ms\\x1b\[2J malformed-url/);
      expect(line).not.toMatch(/[\u0000-\u001f]/);
    } finally {
      cli.kill();
    }
  });

  it('with --token serves only callers that send it, and --admit-loopback lets one local socket through, loudly', async () => {
    const token = 'a-long-random-secret-0123456789';
    const cli = run(['--allow', lab.origin, '--app-origin', APP, '--port', '0', '--token', token, '--admit-loopback', new URL(lab.origin).host]);
    try {
      const [, base] = /(http:\/\/127\.0\.0\.1:\d+)/.exec((await cli.lines.next()).value as string) ?? [];
      const url = `${base}/?url=${encodeURIComponent(`${lab.origin}/no-cors`)}`;
      // A non-browser client forging Sec-Fetch-Site gets nothing without the token.
      const forged = await fetch(url, { headers: { 'sec-fetch-site': 'same-origin' } });
      expect(forged.status).toBe(403);
      expect(await forged.json()).toMatchObject({ error: 'not-authorized' });
      const served = await fetch(url, { headers: { origin: APP, authorization: `Bearer ${token}` } });
      expect(served.status).toBe(200);
      expect(await served.json()).toEqual({ endpoint: 'no-cors' });
    } finally {
      cli.kill();
    }
    const { stderr } = await cli.exit;
    expect(stderr).toMatch(new RegExp(`WARNING: --admit-loopback ${new URL(lab.origin).host} lets anyone who can call this proxy reach that local socket`));
  });

  it('says at startup, without --token, that the caller check is not authentication', async () => {
    const cli = run(['--allow', lab.origin, '--app-origin', APP, '--port', '0']);
    await cli.lines.next();
    cli.kill();
    expect((await cli.exit).stderr).toMatch(/not authentication: any other client that can reach this port/);
  });
});
