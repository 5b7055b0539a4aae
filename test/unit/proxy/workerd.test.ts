import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../../demo/lab/server.js';
import { startUpstream, type Upstream } from './fixtures/upstream.js';

/**
 * crossroute/proxy on Cloudflare's runtime: the handler bundled (esbuild, as a Workers build
 * would) and served by the workerd binary from npm, against the lab on loopback. miniflare needs
 * Node 22, so workerd runs directly from a capnp config. The worker's outbound network allows
 * 127.0.0.1/32 and nothing else: on workerd, that network service is where resolved addresses are
 * limited (a deployment uses allow = ["public"]).
 */
const WORKERD = fileURLToPath(new URL('../../../node_modules/.bin/workerd', import.meta.url));
const APP = 'http://localhost:5173';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.once('error', reject);
  });
}

/** Two sockets, one worker each: outbound limited to 127.0.0.1/32 (to reach the lab), and to public addresses (a deployment's setting). */
const config = (ports: [number, number], lab: string, upstream: string): string => `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "proxy", worker = .proxyWorker),
    (name = "public-proxy", worker = .publicWorker),
    (name = "loopback-only", network = (allow = ["127.0.0.1/32"])),
    (name = "public-only", network = (allow = ["public"])),
  ],
  sockets = [
    (name = "http", address = "127.0.0.1:${ports[0]}", http = (), service = "proxy"),
    (name = "public", address = "127.0.0.1:${ports[1]}", http = (), service = "public-proxy"),
  ],
);
const proxyWorker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "2025-01-01",
  bindings = [ (name = "LAB", text = "${lab}"), (name = "UPSTREAM", text = "${upstream}"), (name = "APP", text = "${APP}") ],
  globalOutbound = "loopback-only",
);
const publicWorker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "2025-01-01",
  bindings = [ (name = "LAB", text = "${lab}"), (name = "UPSTREAM", text = "${upstream}"), (name = "APP", text = "${APP}") ],
  globalOutbound = "public-only",
);
`;

/** A name /etc/hosts maps to 127.0.0.1 (not "localhost", which the proxy refuses by name); read from the file, so no DNS query leaves the machine. */
async function loopbackAlias(): Promise<string | undefined> {
  const hosts = await readFile('/etc/hosts', 'utf8').catch(() => '');
  for (const line of hosts.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    const alias = names.find((name) => !/(^|\.)localhost$/.test(name) && !/(^|\.)(local|internal|home\.arpa)$/.test(name));
    if (address === '127.0.0.1' && alias) return alias;
  }
  return undefined;
}

describe('crossroute/proxy on workerd', () => {
  let lab: Lab;
  let upstream: Upstream;
  let dir: string;
  let workerd: ChildProcess;
  let base: string;
  let publicBase: string;
  let stderr = '';

  beforeAll(async () => {
    lab = await startLab({ appOrigin: APP });
    upstream = await startUpstream();
    dir = await mkdtemp(join(tmpdir(), 'crossroute-workerd-'));
    await build({
      entryPoints: [fileURLToPath(new URL('./fixtures/workerd-worker.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      outfile: join(dir, 'worker.js'),
      logLevel: 'silent',
    });
    const ports: [number, number] = [await freePort(), await freePort()];
    await writeFile(join(dir, 'config.capnp'), config(ports, lab.origin, upstream.origin));
    workerd = spawn(WORKERD, ['serve', 'config.capnp', '--verbose'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    workerd.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    base = `http://127.0.0.1:${ports[0]}`;
    publicBase = `http://127.0.0.1:${ports[1]}`;
    for (let waited = 0; ; waited += 100) {
      if (await fetch(base).then(() => true, () => false)) break;
      if (waited > 15_000 || workerd.exitCode !== null) throw new Error(`workerd did not start: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 30_000);

  afterAll(async () => {
    workerd?.kill();
    await lab?.close();
    await upstream?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const call = (path: string, target: string, init: RequestInit = {}, at = base) =>
    fetch(`${at}${path}?url=${encodeURIComponent(target)}`, { ...init, headers: { origin: APP, ...(init.headers as Record<string, string>) } });

  it('reads the lab\'s JSON without CORS and grants CORS to the app', async () => {
    const response = await call('/', `${lab.origin}/no-cors`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ endpoint: 'no-cors' });
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('x-crossroute-upstream-status')).toBe('200');
  });

  it('runs as a Hono route: a GET, a JSON POST with its body intact, a private target refused', async () => {
    lab.clear();
    const get = await call('/hono/__proxy', `${lab.origin}/no-cors`);
    expect(await get.json()).toEqual({ endpoint: 'no-cors' });
    const post = await call('/hono/__proxy', `${lab.origin}/preflight`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"via":"hono"}' });
    expect(await post.json()).toEqual({ method: 'POST', contentType: 'application/json', body: '{"via":"hono"}' });
    const refused = await call('/hono/__proxy', 'http://10.0.0.1/admin');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: 'address-not-allowed' });
    expect(lab.records().map((r) => r.path)).toEqual(['/no-cors', '/preflight']);
  });

  it('follows the seed chain /no-cors-redirect → /cors itself', async () => {
    lab.clear();
    const response = await call('/', `${lab.origin}/no-cors-redirect`);
    expect(await response.json()).toEqual({ endpoint: 'cors' });
    expect(response.headers.get('x-crossroute-redirects')).toBe('1');
    expect(lab.records().map((r) => r.path)).toEqual(['/no-cors-redirect', '/cors']);
  });

  it('passes a PUT body, and never forwards the caller\'s cookie', async () => {
    lab.clear();
    const response = await call('/', `${lab.origin}/preflight`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie: 'session=secret' }, body: '{"on":"workerd"}' });
    expect(await response.json()).toEqual({ method: 'PUT', contentType: 'application/json', body: '{"on":"workerd"}' });
    expect(lab.records()[0]!.headers.cookie).toBeUndefined();
  });

  it("passes a lone gzip or br decoded, and refuses the codings workerd's fetch hands over as sent", async () => {
    for (const path of ['/gzip?text=hello', '/coded?coding=br&text=hello']) {
      const response = await call('/', `${upstream.origin}${path}`);
      expect([response.status, await response.text(), response.headers.get('content-encoding')]).toEqual([200, 'hello', null]);
    }
    for (const coding of ['zstd', 'deflate', 'gzip, br', 'GZIP']) {
      const response = await call('/', `${upstream.origin}/coded?coding=${encodeURIComponent(coding)}&text=hello`);
      expect([response.status, ((await response.json()) as { error: string }).error]).toEqual([502, 'upstream-failed']);
    }
    expect(upstream.requests.at(-1)!.headers['accept-encoding']).toBe('gzip, br');
  });

  it('refuses what the rules refuse, before the runtime connects', async () => {
    const refusals = [
      await call('/', 'https://elsewhere.example/'),
      await call('/open', 'http://169.254.169.254/latest/meta-data/'),
      await call('/open', 'http://2130706433:8080/'),
      await call('/open', `${lab.origin}/no-cors`),
      await call('/', 'file:///etc/passwd'),
    ];
    expect(await Promise.all(refusals.map(async (r) => [r.status, ((await r.json()) as { error: string }).error]))).toEqual([
      [403, 'target-not-allowed'],
      [403, 'address-not-allowed'],
      [403, 'address-not-allowed'],
      [403, 'address-not-allowed'],
      [400, 'malformed-url'],
    ]);
  });

  it('leaves resolved addresses to the runtime: a name that resolves to loopback passes the URL rules, and workerd\'s public-only network refuses it', async (context) => {
    const alias = await loopbackAlias();
    if (!alias) return context.skip();
    lab.clear();
    const response = await call('/open', `http://${alias}:${new URL(lab.origin).port}/no-cors`, {}, publicBase);
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ error: 'upstream-failed' });
    // workerd says why in its log: the resolved address is outside the allowed network.
    for (let waited = 0; !stderr.includes(`connecting to ${alias}:`) && waited < 2000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stderr).toMatch(new RegExp(`connecting to ${alias}:\\d+ is not allowed`));
    expect(lab.records()).toEqual([]);
  });
});
