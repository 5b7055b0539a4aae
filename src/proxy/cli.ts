import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { ProxyConfigError } from './core/proxy-config-error.js';
import type { NodeProxyOptions } from './node/create-node-proxy.js';
import { createNodeProxy } from './node/create-node-proxy.js';

const USAGE = `usage: crossroute-proxy --allow <origin> [--allow <origin>...] [--app-origin <origin>...] [options]

Runs crossroute's proxy standalone: GET http://HOST:PORT/?url=<target URL>.
  --allow <origin>          a target origin or pattern (https://api.example.com, https://*.example.com); repeatable
  --allow-any-target        proxy to any public address instead (the address guard still applies)
  --app-origin <origin>     a page origin allowed to call the proxy (CORS); repeatable
  --port <n>                default 8787            --host <ip>             default 127.0.0.1
  --methods <list>          default GET,HEAD,POST,PUT,PATCH,DELETE
  --max-request-bytes <n>   default 1048576         --max-response-bytes <n> default 33554432
  --timeout-ms <n>          default 10000           --max-redirects <n>      default 5
  --quiet                   no line per request`;

/** Flag for each option, so a refusal of the options speaks the command line's language. */
const FLAGS: Record<string, string> = {
  allow: '--allow',
  allowAnyTarget: '--allow-any-target',
  appOrigins: '--app-origin',
  methods: '--methods',
  maxRequestBytes: '--max-request-bytes',
  maxResponseBytes: '--max-response-bytes',
  timeoutMs: '--timeout-ms',
  maxRedirects: '--max-redirects',
};

function fail(message: string): never {
  console.error(`crossroute-proxy: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function whole(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) fail(`${flag} must be a whole number (got "${value}").`);
  return Number(value);
}

let args;
try {
  args = parseArgs({
    options: {
      allow: { type: 'string', multiple: true, default: [] },
      'allow-any-target': { type: 'boolean', default: false },
      'app-origin': { type: 'string', multiple: true, default: [] },
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      methods: { type: 'string' },
      'max-request-bytes': { type: 'string' },
      'max-response-bytes': { type: 'string' },
      'timeout-ms': { type: 'string' },
      'max-redirects': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  }).values;
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const options: NodeProxyOptions = {
  allow: args.allow,
  allowAnyTarget: args['allow-any-target'],
  appOrigins: args['app-origin'],
  ...(args.methods !== undefined ? { methods: args.methods.split(',').map((method) => method.trim()) } : {}),
  maxRequestBytes: whole(args['max-request-bytes'], '--max-request-bytes'),
  maxResponseBytes: whole(args['max-response-bytes'], '--max-response-bytes'),
  timeoutMs: whole(args['timeout-ms'], '--timeout-ms'),
  maxRedirects: whole(args['max-redirects'], '--max-redirects'),
  ...(args.quiet ? {} : { log: (entry) => console.log(`${entry.status} ${entry.method} ${entry.target ?? '-'} ${entry.error ?? `upstream ${entry.upstreamStatus}`} ${entry.durationMs} ms`) }),
};

let proxy;
try {
  proxy = createNodeProxy(options);
} catch (error) {
  if (!(error instanceof ProxyConfigError)) throw error;
  fail(error.message.replace(/options\.(\w+)/g, (_, name: string) => FLAGS[name] ?? name));
}
const port = whole(args.port, '--port')!;
if (args['app-origin'].length === 0) {
  console.error('crossroute-proxy: no --app-origin given: only same-origin callers are served, and a standalone proxy has none. Add --app-origin https://your.app.');
}
const server = createServer(proxy);
server.on('error', (error) => fail(`cannot listen on ${args.host}:${port}: ${error.message}`));
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
