import { parseArgs } from 'node:util';
import { DoctorError, type DoctorField, type DoctorRequest, diagnose } from '../doctor/index.js';
import { formatDiagnosis } from './format-diagnosis.js';

const USAGE = `usage: crossroute doctor <url> --origin <app origin> [options]

Does what a browser does for fetch(<url>) from a page on <app origin>: the preflight when one is
needed, the CORS check of every answer and redirect hop; prints each step, the verdict and the fix.
Exit status: 0 the browser would succeed, 1 it would not (or --send is needed to know), 2 bad input.
  --origin <origin>        the page's origin, e.g. http://localhost:5173 (required)
  --method <M>             default GET
  -H, --header 'k: v'      a request header the page sets; repeatable
  --credentials            credentials: 'include' (the doctor itself sends no cookies)
  --read <name>            a response header the page reads; repeatable
  --data <text>            the request body (sent only with --send)
  --send                   also send a request other than GET/HEAD (it may change data)
  --timeout-seconds <n>    per request, default 10
  --max-redirects <n>      default 20, as browsers
  --json                   the diagnosis as JSON`;

/** The command line's name for each field diagnose() may refuse. */
const FLAGS: Record<DoctorField, string> = {
  url: '<url>',
  origin: '--origin',
  method: '--method',
  headers: '--header',
  credentials: '--credentials',
  read: '--read',
  body: '--data',
  maxRedirects: '--max-redirects',
};

/** Where the command writes: standard output and standard error, or a test's capture. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

/** Bad input: printed with the usage, exit status 2. */
class UsageError extends Error {}

function fail(message: string): never {
  throw new UsageError(message);
}

/**
 * `crossroute <argv>`: writes to `io` and resolves to the exit status (0 the browser would
 * succeed, 1 it would not, 2 bad input), so that it runs in a test's process as well as in its own.
 */
export async function main(argv: string[], io: CliOutput): Promise<number> {
  try {
    return await doctor(argv, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`crossroute: ${error.message}\n\n${USAGE}`);
    return 2;
  }
}

function whole(flag: '--max-redirects', value: string): number {
  if (!/^\d+$/.test(value)) fail(`${flag} must be a whole number (got "${value}")`);
  return Number(value);
}

async function doctor(argv: string[], io: CliOutput): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        origin: { type: 'string' },
        method: { type: 'string' },
        header: { type: 'string', short: 'H', multiple: true, default: [] },
        credentials: { type: 'boolean', default: false },
        read: { type: 'string', multiple: true, default: [] },
        data: { type: 'string' },
        send: { type: 'boolean', default: false },
        'timeout-seconds': { type: 'string', default: '10' },
        'timeout-ms': { type: 'string' },
        'max-redirects': { type: 'string', default: '20' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const { values: args, positionals } = parsed;
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  const [command, url, ...extra] = positionals;
  if (command !== 'doctor') fail(command === undefined ? 'no command given: write crossroute doctor <url> --origin <app>' : `unknown command "${command}": the one command is doctor`);
  if (url === undefined) fail('doctor needs the <url> to check');
  if (extra.length > 0) fail(`unexpected argument "${extra[0]}": quote a header as -H 'name: value'`);
  if (args.origin === undefined) fail("--origin is required: the page's origin, e.g. --origin http://localhost:5173");
  if (args['timeout-ms'] !== undefined) fail('--timeout-ms is now --timeout-seconds (durations are in seconds)');
  const timeoutSeconds = Number(args['timeout-seconds']);
  if (!/^\d+(\.\d+)?$/.test(args['timeout-seconds']) || timeoutSeconds <= 0) fail(`--timeout-seconds must be a number of seconds above 0 (got "${args['timeout-seconds']}")`);
  const maxRedirects = whole('--max-redirects', args['max-redirects']);

  const headers = args.header.map((line): [string, string] => {
    const colon = line.indexOf(':');
    if (colon <= 0) fail(`--header "${line}" is not 'name: value'`);
    return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  });

  const request: DoctorRequest = {
    url,
    origin: args.origin,
    method: args.method,
    headers,
    credentials: args.credentials ? 'include' : 'same-origin',
    body: args.data,
    read: args.read,
    sendActual: args.send,
  };

  // A developer's own tool, run by them: any target they can reach, loopback included.
  let diagnosis;
  try {
    diagnosis = await diagnose(request, { maxRedirects, fetch: (target, init) => fetch(target, { ...init, signal: AbortSignal.timeout(timeoutSeconds * 1000) }) });
  } catch (error) {
    if (error instanceof DoctorError) fail(`${FLAGS[error.field]} ${error.message.slice(error.field.length + 2)}`);
    throw error;
  }
  io.out(args.json ? JSON.stringify(diagnosis, null, 2) : formatDiagnosis(request, diagnosis));
  return diagnosis.verdict === 'ok' ? 0 : 1;
}
