import { checkCaller } from './check-caller.js';
import { checkTarget } from './check-target.js';
import type { InFlight } from './exchange-run.js';
import type { ExchangeRecords } from './exchange-records.js';
import { parseTarget } from './parse-target.js';
import type { ProxyConfig } from './proxy-config.js';
import { findFailure, ProxyFailure } from './proxy-failure.js';
import type { HeaderPairs, ProxyInput } from './proxy-input.js';
import { outgoingHeaders, type OutgoingHeaders } from './request-headers.js';
import { preflightHeaders } from './response-headers.js';
import type { AllowedTarget } from './target-matcher.js';

/** A request that passed every check before the first connection. */
export interface Exchange {
  method: string;
  target: URL;
  rule: AllowedTarget | undefined;
  headers: OutgoingHeaders;
  /** The origin granted CORS on the answer; null for a same-origin caller. */
  corsOrigin: string | null;
  /** The request carries a body to read (never for GET and HEAD). */
  hasBody: boolean;
  /** A diagnosis (`?diagnose`): the body asks for one, and the answer is the doctor's, not the target's. */
  diagnose: boolean;
}

/** The app's own check of a caller (options.authorize), on the shell's request type. */
export type Authorize<Request> = (request: Request) => boolean | Promise<boolean>;

export type Inspection =
  | { kind: 'forward'; exchange: Exchange }
  /** `?exchange=<id>`: the code an earlier exchange's cut body failed with, as JSON. */
  | { kind: 'record'; body: { exchange: string; error: string }; corsOrigin: string | null }
  | { kind: 'preflight'; headers: HeaderPairs }
  | { kind: 'refuse'; failure: ProxyFailure; corsOrigin: string | null };

/**
 * Every decision the proxy can make before connecting, in an order that tells a stranger nothing:
 * method, then caller, then options.authorize, then target URL, allowlist and address rules, the
 * declared body size, a body some middleware has already read, and a free exchange slot. A
 * forwarded exchange holds its slot until its ExchangeRun settles. A record lookup
 * (`GET ?exchange=<id>`) passes the same checks up to options.authorize and connects nowhere.
 */
export async function inspectRequest(
  config: ProxyConfig,
  input: ProxyInput,
  authorize: (() => boolean | Promise<boolean>) | undefined,
  slots: InFlight,
  records: ExchangeRecords,
): Promise<Inspection> {
  let corsOrigin: string | null = null;
  try {
    const method = input.method.toUpperCase();
    const preflightMethod = method === 'OPTIONS' ? input.header('access-control-request-method') : null;
    if (!config.methods.has(preflightMethod ?? method)) {
      throw new ProxyFailure('method-not-allowed', 405, `${preflightMethod ?? method} is not proxied; allowed methods: ${config.methodList} (options.methods).`);
    }
    if (input.diagnose && (preflightMethod ?? method) !== 'POST') throw new ProxyFailure('method-not-allowed', 405, 'a diagnosis (?diagnose) is asked with POST and a JSON body.');
    if (input.exchange !== null && (preflightMethod ?? method) !== 'GET') throw new ProxyFailure('method-not-allowed', 405, "an exchange's record (?exchange=<id>) is asked with GET.");
    corsOrigin = checkCaller(config, input);
    // A preflight carries no credentials, so it is answered before options.authorize (which may need them).
    if (preflightMethod !== null && corsOrigin !== null) return { kind: 'preflight', headers: preflightHeaders(config, corsOrigin, input.header('access-control-request-headers')) };
    if (preflightMethod !== null) throw new ProxyFailure('method-not-allowed', 405, 'OPTIONS is answered only as a CORS preflight from an app origin.');
    if (authorize) await authorized(authorize);
    if (input.exchange !== null) return { kind: 'record', body: { exchange: input.exchange, error: recorded(records, input.exchange) }, corsOrigin };
    const target = parseTarget(input.target);
    const rule = checkTarget(config, target, 'the target');
    const length = input.header('content-length');
    // Anything but digits is no declaration (node:http refuses such a request before it gets here).
    const declaredBytes = length !== null && /^\d+$/.test(length) ? Number(length) : null;
    if (declaredBytes !== null && declaredBytes > config.maxRequestBytes) throw tooLarge(config);
    const body = method === 'GET' || method === 'HEAD' ? 'none' : input.body();
    if (body === 'read') throw bodyAlreadyRead();
    if (!slots.take()) throw new ProxyFailure('proxy-busy', 503, `${config.maxInFlight} exchanges are under way (options.maxInFlight); retry shortly.`);
    return { kind: 'forward', exchange: { method, target, rule, headers: outgoingHeaders(input), corsOrigin, hasBody: body === 'unread', diagnose: input.diagnose } };
  } catch (error) {
    const failure = findFailure(error);
    if (!failure) throw error;
    return { kind: 'refuse', failure, corsOrigin };
  }
}

async function authorized(authorize: () => boolean | Promise<boolean>): Promise<void> {
  let verdict: boolean;
  try {
    verdict = (await authorize()) === true;
  } catch (error) {
    throw new ProxyFailure('not-authorized', 403, 'the caller is not authorized to use this proxy.', `options.authorize threw: ${String(error)}`);
  }
  if (!verdict) throw new ProxyFailure('not-authorized', 403, 'the caller is not authorized to use this proxy.');
}

function recorded(records: ExchangeRecords, id: string): string {
  const code = records.find(id);
  if (code === undefined) {
    throw new ProxyFailure('exchange-unknown', 404, 'no cut body is recorded under this exchange id: the proxy keeps the code of a body cut after its status for 60 s, in the process that served it.');
  }
  return code;
}

export function tooLarge(config: ProxyConfig): ProxyFailure {
  return new ProxyFailure('request-too-large', 413, `the request body is over ${config.maxRequestBytes} bytes (options.maxRequestBytes).`);
}

function bodyAlreadyRead(): ProxyFailure {
  return new ProxyFailure(
    'body-already-read',
    500,
    "the request body was read before the proxy got it (a body parser such as express.json(), Fastify's content-type parser or @koa/bodyparser runs first); the proxy will not send it on empty. Mount the proxy before the body parser, or leave its path out of the parser.",
  );
}
