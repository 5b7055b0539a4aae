import type { IncomingMessage, ServerResponse } from 'node:http';
import { ExchangeRun, InFlight } from '../core/exchange-run.js';
import { fetchTarget } from '../core/fetch-target.js';
import { inspectRequest, tooLarge } from '../core/inspect-request.js';
import { ProxyConfigError } from '../core/proxy-config-error.js';
import { resolveProxyConfig, type ProxyConfig } from '../core/proxy-config.js';
import { CALLER_GONE, findFailure, ProxyFailure } from '../core/proxy-failure.js';
import type { HeaderPairs } from '../core/proxy-input.js';
import type { ProxyOptions } from '../core/proxy-options.js';
import { reportExchange } from '../core/report-exchange.js';
import { answerHeaders, failureHeaders, jsonHeaders } from '../core/response-headers.js';
import { diagnoseTarget } from '../core/diagnose-target.js';
import { ExchangeRecords } from '../core/exchange-records.js';
import type { FetchFunction } from '../core/fetch-send.js';
import type { UpstreamSend } from '../core/upstream.js';
import { agentFetch } from './agent-fetch.js';
import type { BodySource } from './body-source.js';
import { decodeAnswer } from './decode-answer.js';
import { guardedAgent } from './guarded-agent.js';
import type { GuardOptions } from './guard-options.js';
import { NodeAbort } from './node-abort.js';
import { nodeInput } from './node-input.js';
import { pipeAnswer } from './pipe-answer.js';
import { undiciSend } from './undici-send.js';

export interface NodeProxyOptions extends ProxyOptions, GuardOptions {
  /**
   * Who may use the proxy beyond the caller check (which stops other sites' pages, not other
   * clients): e.g. the app's session (`req.session` when mounted after the session middleware)
   * or a token. false (or a throw) is a 403 `not-authorized`.
   */
  authorize?: (req: IncomingMessage) => boolean | Promise<boolean>;
}

/** Koa's context, as far as the proxy needs it: koa-mount and app.use() hand it over instead of (req, res). */
interface KoaContext {
  req: IncomingMessage;
  res: ServerResponse;
  respond?: boolean;
}

/**
 * A node:http request listener that is also Express/Connect middleware (`app.use('/__proxy', proxy)`)
 * and Koa middleware (`app.use(mount('/__proxy', proxy))`).
 */
export interface NodeProxy {
  (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void;
  (ctx: KoaContext, next: () => Promise<unknown>): Promise<void>;
  /** Closes the connections to targets. */
  close(): Promise<void>;
}

interface Shell {
  config: ProxyConfig;
  send: UpstreamSend<Buffer, BodySource, NodeAbort>;
  /** The same guarded dispatcher as a fetch, for diagnoses (the doctor speaks fetch). */
  fetch: FetchFunction;
  slots: InFlight;
  records: ExchangeRecords;
  authorize: NodeProxyOptions['authorize'];
}

/**
 * The proxy for node:http, Express, Connect and Koa. The same decisions as createProxyHandler (the
 * shared core), carried on Node streams and undici's dispatcher rather than web Request/Response,
 * which cost Node 20 about 40% of a pass-through proxy's throughput. Mount it before any body
 * parser: it reads the request body itself (and refuses, 500 `body-already-read`, one a parser took).
 */
export function createNodeProxy(options: NodeProxyOptions): NodeProxy {
  const config = resolveProxyConfig(options, ['resolve', 'connect', 'authorize']);
  if (options.authorize !== undefined && typeof options.authorize !== 'function') throw new ProxyConfigError('invalid-option', 'options.authorize must be a function (req) => boolean | Promise<boolean>.');
  const agent = guardedAgent(options, config.admitted, config.timeoutMs);
  const shell: Shell = { config, send: undiciSend(agent), fetch: agentFetch(agent), slots: new InFlight(config.maxInFlight), records: new ExchangeRecords(), authorize: options.authorize };
  function proxy(req: IncomingMessage | KoaContext, res: ServerResponse | (() => Promise<unknown>), next?: (error?: unknown) => void): void | Promise<void> {
    if (typeof res === 'function') {
      // Koa: the proxy answers on the raw response itself, so Koa must not answer after it.
      const ctx = req as KoaContext;
      ctx.respond = false;
      return serve(shell, ctx.req, ctx.res).catch((error: unknown) => bug(error, ctx.res));
    }
    // Only a bug lands here: Express/Connect get it through next(), plain node:http a bare 500.
    serve(shell, req as IncomingMessage, res).catch((error: unknown) => (next ? next(error) : bug(error, res)));
  }
  return Object.assign(proxy as NodeProxy, { close: () => agent.close() });
}

function bug(_error: unknown, res: ServerResponse): void {
  if (res.headersSent) res.destroy();
  else res.writeHead(500).end();
}

async function serve({ config, send, fetch, slots, records, authorize }: Shell, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const input = nodeInput(req);
  const inspection = await inspectRequest(config, input, authorize && (() => authorize(req)), slots, records);
  if (inspection.kind === 'preflight') {
    res.writeHead(204, flat(inspection.headers)).end();
    return reportExchange(config, input, started, 204, {});
  }
  if (inspection.kind === 'record') {
    answerJson(res, inspection.body, inspection.corsOrigin);
    return reportExchange(config, input, started, 200, {});
  }
  if (inspection.kind === 'refuse') {
    reportExchange(config, input, started, inspection.failure.status, { failure: inspection.failure });
    return answerFailure(config, res, inspection.failure, inspection.corsOrigin);
  }
  const { exchange } = inspection;
  const abort = new NodeAbort();
  const run = new ExchangeRun(config, input, started, slots, records, abort);
  res.once('close', () => {
    if (!res.writableFinished) abort.abort(CALLER_GONE);
  });
  try {
    const body = exchange.hasBody ? await readBody(req, config, abort) : null;
    if (exchange.diagnose) {
      const signal = new AbortController();
      abort.once('abort', () => signal.abort(abort.reason));
      answerJson(res, await diagnoseTarget(config, exchange, input.header('origin'), body, fetch, signal.signal), exchange.corsOrigin);
      return run.settle(200, {});
    }
    const answer = await fetchTarget(config, exchange, body, send, abort);
    // undici always gives a body (empty for HEAD and null-body statuses).
    const decoded = decodeAnswer(answer.headers, answer.body!, answer.hasBody);
    res.writeHead(answer.status, flat(answerHeaders(config, decoded.headers, exchange.corsOrigin, answer, started, run.id)));
    pipeAnswer(decoded.body, res, config.maxResponseBytes, decoded.headers.some(([name]) => name === 'content-length'), abort, (failure) =>
      run.settle(answer.status, { upstream: answer, ...(failure ? { failure } : {}) }),
    );
  } catch (error) {
    const failure = findFailure(abort.reason) ?? findFailure(error) ?? new ProxyFailure('upstream-failed', 502, "the target's answer cannot be passed on.", String(error));
    run.settle(failure.status, { failure });
    if (failure !== CALLER_GONE) answerFailure(config, res, failure, exchange.corsOrigin);
  }
}

/**
 * The whole request body, so a 307/308 can send it again: refused past options.maxRequestBytes
 * before anything connects, and given up when the exchange is aborted (the deadline, the caller gone).
 */
function readBody(req: IncomingMessage, config: ProxyConfig, abort: NodeAbort): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const done = (error: unknown, body?: Buffer) => {
      req.off('data', onData).off('end', onEnd).off('error', done);
      abort.off('abort', onAbort);
      if (error === null) resolve(body!);
      else {
        req.pause();
        reject(error);
      }
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > config.maxRequestBytes) done(tooLarge(config));
      else chunks.push(chunk);
    };
    const onEnd = () => done(null, Buffer.concat(chunks, bytes));
    const onAbort = () => done(abort.reason);
    req.on('data', onData).once('end', onEnd).once('error', done);
    abort.once('abort', onAbort);
  });
}

/** The proxy's own 200 JSON answers: a diagnosis, an exchange's record. */
function answerJson(res: ServerResponse, value: object, corsOrigin: string | null): void {
  const body = JSON.stringify(value);
  res.writeHead(200, flat([...jsonHeaders(corsOrigin), ['content-length', String(Buffer.byteLength(body))]])).end(body);
}

function answerFailure(config: ProxyConfig, res: ServerResponse, failure: ProxyFailure, corsOrigin: string | null): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(failure.body);
  const headers = [...failureHeaders(config, failure, corsOrigin), ['content-length', String(Buffer.byteLength(body))] as [string, string]];
  // The rest of an oversized upload is not read: node:http would otherwise drain it to keep the connection.
  if (failure.code === 'request-too-large') headers.push(['connection', 'close']);
  res.writeHead(failure.status, flat(headers));
  res.end(body);
}

/** node:http takes headers as one flat [name, value, name, value...] list, repeats included. */
function flat(pairs: HeaderPairs): string[] {
  const list: string[] = [];
  for (const [name, value] of pairs) list.push(name, value);
  return list;
}
