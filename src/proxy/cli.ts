import { timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { cliServer } from './cli-server.js';
import { ProxyConfigError } from './core/proxy-config-error.js';
import type { ProxyLogEntry } from './core/proxy-options.js';
import type { NodeProxyOptions } from './node/create-node-proxy.js';
import { createNodeProxy } from './node/create-node-proxy.js';

const USAGE = `usage: crossroute-proxy --allow <origin> [--allow <origin>...] [--app-origin <origin>...] [options]

Runs crossroute's proxy standalone: GET http://HOST:PORT/?url=<target URL>.
  --allow <origin>          a target origin or pattern (https://api.example.com, https://*.example.com); repeatable
  --allow-any-target        proxy to any public address instead (the address guard still applies)
  --app-origin <origin>     a page origin allowed to call the proxy (CORS); repeatable
  --token <secret>          callers must send Authorization: Bearer <secret> (the caller check alone is not authentication)
  --expose-header <name>    a target response header to pass back beside the built-in allowlist; repeatable
  --port <n>                default 8787            --host <ip>             default 127.0.0.1
  --methods <list>          default GET,HEAD,POST,PUT,PATCH,DELETE
  --max-request-bytes <n>   default 1048576         --max-response-bytes <n> default 33554432
  --timeout-seconds <s>     default 10              --deadline-seconds <s>   default 60 (fractions allowed)
  --max-in-flight <n>       default 256             --max-redirects <n>      default 5
  --admit-loopback <ip:port> FOR LOCAL TRYING ONLY: let the proxy reach this one loopback socket
  --quiet                   no line per request
  --version                 print the version       --help                   this text`;

/** Flag for each option, so a refusal of the options speaks the command line's language. */
const FLAGS: Record<string, string> = {
  allow: '--allow',
  allowAnyTarget: '--allow-any-target',
  appOrigins: '--app-origin',
  exposeHeaders: '--expose-header',
  methods: '--methods',
  maxRequestBytes: '--max-request-bytes',
  maxResponseBytes: '--max-response-bytes',
  timeoutSeconds: '--timeout-seconds',
  deadlineSeconds: '--deadline-seconds',
  maxInFlight: '--max-in-flight',
  maxRedirects: '--max-redirects',
  admitLoopbackForTests: '--admit-loopback',
};

function fail(message: string): never {
  console.error(`crossroute-proxy: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function whole(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) fail(`${flag} must be a whole number (got ${printable(JSON.stringify(value))}).`);
  return Number(value);
}

function seconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^(\d+\.?\d*|\.\d+)$/.test(value)) fail(`${flag} must be a number of seconds such as 10 or 2.5 (got ${printable(JSON.stringify(value))}).`);
  return Number(value);
}

/** Flags of earlier versions, in milliseconds: refused with the flag that replaced them. */
const RENAMED_FLAGS: Record<string, string> = { '--timeout-ms': '--timeout-seconds', '--deadline-ms': '--deadline-seconds' };

/** Control characters (C0, DEL, C1) as \xHH, so a target URL cannot forge log lines or drive a terminal. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function logLine(entry: ProxyLogEntry): string {
  const outcome = entry.error ? `${entry.error}${entry.upstreamStatus !== null ? ` (upstream ${entry.upstreamStatus})` : ''}` : `upstream ${entry.upstreamStatus}`;
  const reason = entry.reason ? `: ${entry.reason}` : '';
  return printable(`${entry.status} ${entry.method} ${entry.target ?? '-'} ${outcome} ${entry.durationMs} ms${reason}`);
}

/** A check of `Authorization: Bearer <token>` that takes the same time whatever the guess. */
function bearer(token: string): NodeProxyOptions['authorize'] {
  const expected = Buffer.from(`Bearer ${token}`);
  return (req) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
}

for (const arg of process.argv.slice(2)) {
  const renamed = RENAMED_FLAGS[arg.split('=')[0]!];
  if (renamed !== undefined) fail(`${arg.split('=')[0]} is now ${renamed}, in seconds (e.g. ${renamed} 10 for 10000 ms).`);
}
let args;
try {
  args = parseArgs({
    options: {
      allow: { type: 'string', multiple: true, default: [] },
      'allow-any-target': { type: 'boolean', default: false },
      'app-origin': { type: 'string', multiple: true, default: [] },
      token: { type: 'string' },
      'expose-header': { type: 'string', multiple: true, default: [] },
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      methods: { type: 'string' },
      'max-request-bytes': { type: 'string' },
      'max-response-bytes': { type: 'string' },
      'timeout-seconds': { type: 'string' },
      'deadline-seconds': { type: 'string' },
      'max-in-flight': { type: 'string' },
      'max-redirects': { type: 'string' },
      'admit-loopback': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      version: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  }).values;
} catch (error) {
  fail(printable(error instanceof Error ? error.message : String(error)));
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
if (args.version) {
  // The same relative path from src/proxy/cli.ts and from dist/proxy/cli.js.
  console.log(`crossroute-proxy ${(createRequire(import.meta.url)('../../package.json') as { version: string }).version}`);
  process.exit(0);
}
const port = whole(args.port, '--port')!;
if (port > 65535) fail(`--port must be from 0 to 65535 (got ${port}).`);
if (args.token !== undefined && args.token.length < 16) fail('--token must be at least 16 characters (a random secret, e.g. from `openssl rand -hex 16`).');

const options: NodeProxyOptions = {
  allow: args.allow,
  allowAnyTarget: args['allow-any-target'],
  appOrigins: args['app-origin'],
  exposeHeaders: args['expose-header'],
  ...(args.methods !== undefined ? { methods: args.methods.split(',').map((method) => method.trim()) } : {}),
  maxRequestBytes: whole(args['max-request-bytes'], '--max-request-bytes'),
  maxResponseBytes: whole(args['max-response-bytes'], '--max-response-bytes'),
  timeoutSeconds: seconds(args['timeout-seconds'], '--timeout-seconds'),
  deadlineSeconds: seconds(args['deadline-seconds'], '--deadline-seconds'),
  maxInFlight: whole(args['max-in-flight'], '--max-in-flight'),
  maxRedirects: whole(args['max-redirects'], '--max-redirects'),
  ...(args['admit-loopback'] !== undefined ? { admitLoopbackForTests: [args['admit-loopback']] } : {}),
  ...(args.token !== undefined ? { authorize: bearer(args.token) } : {}),
  ...(args.quiet ? {} : { log: (entry) => console.log(logLine(entry)) }),
};

let proxy;
try {
  proxy = createNodeProxy(options);
} catch (error) {
  if (!(error instanceof ProxyConfigError)) throw error;
  fail(printable(error.message.replace(/options\.(\w+)/g, (_, name: string) => FLAGS[name] ?? name).replace(/; it exists for tests only\./, '.')));
}
if (args['admit-loopback'] !== undefined) {
  console.error(
    `crossroute-proxy: WARNING: --admit-loopback ${args['admit-loopback']} lets anyone who can call this proxy reach that local socket. It is for trying the proxy on one machine; never use it on a server.`,
  );
}
if (args.token === undefined) {
  console.error(
    'crossroute-proxy: no --token: the caller check (Origin / Sec-Fetch-Site) stops other sites\' pages in browsers, but it is not authentication: any other client that can reach this port can send those headers and use the proxy. Add --token, or keep the port private.',
  );
}
const server = cliServer(proxy);
server.on('error', (error) => fail(`cannot listen with --host ${printable(args.host)} --port ${port}: ${error.message}`));
server.listen(port, args.host, () => {
  const { address, port: bound } = server.address() as AddressInfo;
  console.log(`crossroute-proxy on http://${address.includes(':') ? `[${address}]` : address}:${bound}/?url=<target>`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    void proxy.close().then(() => process.exit(0));
  });
}
