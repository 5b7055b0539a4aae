import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Agent as UndiciAgent } from 'undici';

/**
 * Proxy throughput on loopback, one page origin reading the lab through four proxies in the same
 * run: crossroute's Node proxy; two bare pass-throughs with no checks at all (the limit), one on
 * node:http's client and one on undici's, the client crossroute uses; and cors-anywhere. Each
 * proxy and the lab run in their own process; autocannon drives them in turn, interleaved round
 * by round (the starting proxy rotates), and the medians are compared.
 */
// ROUNDS=3 SECONDS=2 PATHS=/assets/font.ttf for a quick look; the README's tables use the defaults.
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const SECONDS = Number(process.env.SECONDS ?? 4);
const CONNECTIONS = 16;
const APP = 'http://localhost:8787';
const TOKEN = 'bench-token-0123456789';
/** BEFORE=<another build's dist/proxy/node.js> adds that build as `before`, for an A/B of a change in the same run. */
const BEFORE = process.env.BEFORE;
type Kind = 'crossroute' | 'before' | 'bare' | 'bare-undici' | 'cors-anywhere';
// ONLY=crossroute,before,bare leaves the others out (the summary lines need crossroute, bare, bare-undici and cors-anywhere).
const KINDS = (['crossroute', ...(BEFORE ? (['before'] as const) : []), 'bare', 'bare-undici', 'cors-anywhere'] as Kind[]).filter((kind) => !process.env.ONLY || process.env.ONLY.split(',').includes(kind));
const SCENARIOS = [
  { name: 'JSON, 22 B', path: '/no-cors' },
  { name: 'font, binary', path: '/assets/font.ttf' },
].filter(({ path }) => !process.env.PATHS || process.env.PATHS.split(',').includes(path));

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: { url: string; connections: number; duration: number; headers: Record<string, string> }) => Promise<AutocannonResult>;
const require = createRequire(import.meta.url);
const here = fileURLToPath(import.meta.url);

if (process.argv[2] === '--serve') await serve(process.argv[3] as Kind, process.argv[4]!);
else await compare();

/** Child process: one proxy in front of the lab; prints its port. */
async function serve(kind: Kind, lab: string): Promise<void> {
  let server;
  if (kind === 'crossroute' || kind === 'before') {
    // The shipped build (npm run bench builds first), typed by its source.
    const built = kind === 'before' ? pathToFileURL(BEFORE!).href : new URL('../dist/proxy/node.js', import.meta.url).href;
    const { createNodeProxy } = (await import(built).catch(() => {
      throw new Error('dist/proxy/node.js is missing: run "npm run build" first (npm run bench does)');
    })) as typeof import('../src/proxy/node.js');
    // Every check on, as the README recommends a public mount: the caller check, the allowlist, the
    // address rules, maxInFlight, deadlineSeconds (default 60), and an authorize hook (a token, as the CLI's --token).
    server = createServer(
      createNodeProxy({ allow: [lab], appOrigins: [APP], admitLoopbackForTests: [new URL(lab).host], authorize: (req) => req.headers.authorization === `Bearer ${TOKEN}` }),
    );
  } else if (kind === 'bare') {
    server = createServer(barePassThrough());
  } else if (kind === 'bare-undici') {
    server = createServer(bareUndiciPassThrough());
  } else {
    const corsAnywhere = require('cors-anywhere') as { createServer(options: object): ReturnType<typeof createServer> };
    server = corsAnywhere.createServer({ originWhitelist: [], requireHeader: [], removeHeaders: ['cookie', 'cookie2'] });
  }
  server.listen(0, '127.0.0.1', () => console.log((server.address() as AddressInfo).port));
  // CPU time is what a noisy shared machine cannot distort: the parent reads it around each run.
  process.on('message', () => process.send!(process.cpuUsage()));
}

/** The least a proxy can do: forward method, headers and body to `?url=`, pipe the answer back. */
function barePassThrough(): (req: IncomingMessage, res: ServerResponse) => void {
  const agent = new Agent({ keepAlive: true });
  return (req, res) => {
    const target = new URL(new URLSearchParams(req.url!.slice(req.url!.indexOf('?') + 1)).get('url')!);
    const { host: _host, ...headers } = req.headers;
    const upstream = httpRequest(target, { method: req.method, headers, agent }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  };
}

/** The same with undici's dispatcher, so the difference to crossroute is crossroute's own work. */
function bareUndiciPassThrough(): (req: IncomingMessage, res: ServerResponse) => void {
  const agent = new UndiciAgent();
  return (req, res) => {
    const target = new URL(new URLSearchParams(req.url!.slice(req.url!.indexOf('?') + 1)).get('url')!);
    const { host: _host, ...headers } = req.headers;
    const body = req.method === 'GET' || req.method === 'HEAD' ? null : req;
    agent.request({ origin: target.origin, path: target.pathname + target.search, method: req.method as 'GET', headers, body }).then(
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.body.pipe(res);
      },
      () => res.writeHead(502).end(),
    );
  };
}

function start(args: string[]): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, line: line.trim() }));
  });
}

async function compare(): Promise<void> {
  const autocannon = require('autocannon') as Autocannon;
  const lab = await start([fileURLToPath(new URL('../demo/lab/main.ts', import.meta.url)), '--app-origin', APP]);
  const children = [lab.child];
  try {
    const proxies = {} as Record<Kind, string>;
    const processes = {} as Record<Kind, ChildProcess>;
    for (const kind of KINDS) {
      const proxy = await start([here, '--serve', kind, lab.line]);
      children.push(proxy.child);
      processes[kind] = proxy.child;
      proxies[kind] = `http://127.0.0.1:${proxy.line}`;
    }
    const urlFor = (kind: Kind, path: string): string =>
      kind === 'cors-anywhere' ? `${proxies[kind]}/${lab.line}${path}` : `${proxies[kind]}/__proxy?url=${encodeURIComponent(lab.line + path)}`;
    // The same bytes through all three before anything is timed.
    for (const { path } of SCENARIOS) {
      const direct = Buffer.from(await (await fetch(lab.line + path)).arrayBuffer());
      for (const kind of KINDS) {
        const response = await fetch(urlFor(kind, path), { headers: { origin: APP, authorization: `Bearer ${TOKEN}` } });
        const body = Buffer.from(await response.arrayBuffer());
        if (response.status !== 200 || !body.equals(direct)) throw new Error(`${kind} does not pass ${path} through (status ${response.status}, ${body.length} bytes)`);
      }
    }
    console.log(`proxy throughput, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS} s, medians (Node ${process.version}); load average ${loadAverage()}`);
    for (const scenario of SCENARIOS) {
      const runs = Object.fromEntries((['crossroute', 'before', 'bare', 'bare-undici', 'cors-anywhere'] as const).map((kind) => [kind, [] as Array<AutocannonResult & { cpuPerRequest: number }>])) as Record<
        Kind,
        Array<AutocannonResult & { cpuPerRequest: number }>
      >;
      for (let round = 0; round < ROUNDS; round++) {
        for (let i = 0; i < KINDS.length; i++) {
          const kind = KINDS[(round + i) % KINDS.length]!;
          await fetch(`${lab.line}/__log`, { method: 'DELETE' }); // the lab keeps every request; keep its memory flat
          const cpuBefore = await cpuOf(processes[kind]);
          const result = await autocannon({ url: urlFor(kind, scenario.path), connections: CONNECTIONS, duration: SECONDS, headers: { origin: APP, authorization: `Bearer ${TOKEN}` } });
          const cpu = (await cpuOf(processes[kind])) - cpuBefore;
          if (result.non2xx + result.errors + result.timeouts > 0) throw new Error(`${kind}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
          runs[kind].push({ ...result, cpuPerRequest: cpu / result.requests.total });
        }
      }
      const rps = (kind: Kind): number => median(runs[kind].map((r) => r.requests.average));
      const p99 = (kind: Kind): number => median(runs[kind].map((r) => r.latency.p99));
      const cpu = (kind: Kind): number => median(runs[kind].map((r) => r.cpuPerRequest));
      console.log(`\n${scenario.name} (${scenario.path})`);
      console.log('proxy           req/s    p99 ms   proxy CPU µs/request');
      for (const kind of KINDS) console.log(`${kind.padEnd(14)} ${rps(kind).toFixed(0).padStart(6)}  ${p99(kind).toFixed(0).padStart(8)}   ${cpu(kind).toFixed(0).padStart(8)}`);
      console.log(`crossroute: ${pct(rps('crossroute') / rps('bare'))} of bare's req/s, ${pct(rps('crossroute') / rps('bare-undici'))} of bare-undici's, ${(rps('crossroute') / rps('cors-anywhere')).toFixed(2)}x cors-anywhere's; p99 ${p99('crossroute')} ms vs ${p99('bare')} / ${p99('bare-undici')} / ${p99('cors-anywhere')} ms`);
      if (BEFORE) console.log(`before: ${pct(rps('before') / rps('bare'))} of bare's req/s; CPU per request ${(cpu('before') / cpu('bare')).toFixed(2)}x bare's`);
      console.log(`crossroute CPU per request: ${(cpu('crossroute') / cpu('bare')).toFixed(2)}x bare's, ${(cpu('crossroute') / cpu('bare-undici')).toFixed(2)}x bare-undici's, ${(cpu('crossroute') / cpu('cors-anywhere')).toFixed(2)}x cors-anywhere's`);
      console.log(`load average ${loadAverage()}`);
    }
  } finally {
    for (const child of children) child.kill();
  }
}

/** A child's CPU time so far, in µs (user + system). */
function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (usage) => resolve((usage as NodeJS.CpuUsage).user + (usage as NodeJS.CpuUsage).system));
    child.send('cpu');
  });
}

/** The machine's 1-minute load average: on a shared machine, what the req/s figures were measured under. */
function loadAverage(): string {
  return loadavg()[0]!.toFixed(1);
}

function median(values: number[]): number {
  return values.length === 0 ? NaN : [...values].sort((a, b) => a - b)[values.length >> 1]!;
}

function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(0)}%`;
}
