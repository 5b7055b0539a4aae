import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { fetchTarget } from '../core/fetch-target.js';
import { abortTooLarge, inspectRequest } from '../core/inspect-request.js';
import { resolveProxyConfig, type ProxyConfig } from '../core/proxy-config.js';
import { findFailure, ProxyFailure } from '../core/proxy-failure.js';
import type { HeaderPairs, ProxyInput } from '../core/proxy-input.js';
import type { ProxyOptions } from '../core/proxy-options.js';
import { reportExchange } from '../core/report-exchange.js';
import { answerHeaders, failureHeaders } from '../core/response-headers.js';
import type { UpstreamSend } from '../core/upstream.js';
import { guardedAgent } from './guarded-agent.js';
import type { GuardOptions } from './guard-options.js';
import { MeteredBody } from './metered-body.js';
import { NodeAbort } from './node-abort.js';
import { nodeInput } from './node-input.js';
import { pipeAnswer } from './pipe-answer.js';
import { undiciSend } from './undici-send.js';

export interface NodeProxyOptions extends ProxyOptions, GuardOptions {}

/** A node:http request listener that is also Express/Connect middleware: `app.use('/__proxy', proxy)`. */
export interface NodeProxy {
  (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void;
  /** Closes the connections to targets. */
  close(): Promise<void>;
}

/** Marks an exchange whose caller went away: nobody is left to answer. */
const CALLER_GONE = Symbol('caller gone');

/**
 * The proxy for node:http, Express and Connect. The same decisions as createProxyHandler (the
 * shared core), carried on Node streams and undici's dispatcher rather than web Request/Response,
 * which cost Node 20 about 40% of a pass-through proxy's throughput. Mount it before any body
 * parser: it streams the request body itself.
 */
export function createNodeProxy(options: NodeProxyOptions): NodeProxy {
  const config = resolveProxyConfig(options, ['resolve', 'connect']);
  const agent = guardedAgent(options, config.admitted, config.timeoutMs);
  const send = undiciSend(agent);
  const proxy = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void => {
    // Only a bug lands here: Express/Connect get it through next(), plain node:http a bare 500.
    serve(config, send, req, res).catch((error: unknown) => {
      if (next) next(error);
      else if (res.headersSent) res.destroy();
      else res.writeHead(500).end();
    });
  };
  return Object.assign(proxy, { close: () => agent.close() });
}

async function serve(config: ProxyConfig, send: UpstreamSend<MeteredBody, Readable, NodeAbort>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const input = nodeInput(req);
  const inspection = inspectRequest(config, input);
  if (inspection.kind === 'preflight') {
    res.writeHead(204, flat(inspection.headers)).end();
    return reportExchange(config, input, started, 204, {});
  }
  if (inspection.kind === 'refuse') return refuse(config, input, started, res, inspection.failure, inspection.corsOrigin);
  const { exchange } = inspection;
  const abort = new NodeAbort();
  res.once('close', () => {
    if (!res.writableFinished) abort.abort(CALLER_GONE);
  });
  const chunked = req.headers['transfer-encoding'] !== undefined;
  const hasBody = exchange.method !== 'GET' && exchange.method !== 'HEAD' && (chunked || (exchange.declaredBytes ?? 0) > 0);
  const body = hasBody ? req.pipe(new MeteredBody(chunked ? null : exchange.declaredBytes, config.maxRequestBytes, abortTooLarge(config, abort))) : null;
  try {
    const answer = await fetchTarget(config, exchange, body, send, abort);
    res.writeHead(answer.status, flat(answerHeaders(answer.headers, exchange.corsOrigin, answer)));
    reportExchange(config, input, started, answer.status, { upstream: answer });
    if (answer.body === null) res.end();
    else pipeAnswer(answer.body, res, config.maxResponseBytes, answer.headers.some(([name]) => name === 'content-length'));
  } catch (error) {
    if (abort.reason === CALLER_GONE) return;
    refuse(config, input, started, res, findFailure(error) ?? new ProxyFailure('upstream-failed', 502, String(error)), exchange.corsOrigin);
  }
}

function refuse(config: ProxyConfig, input: ProxyInput, started: number, res: ServerResponse, failure: ProxyFailure, corsOrigin: string | null): void {
  reportExchange(config, input, started, failure.status, { failure });
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(failure.body);
  res.writeHead(failure.status, flat([...failureHeaders(config, failure, corsOrigin), ['content-length', String(Buffer.byteLength(body))]]));
  res.end(body);
}

/** node:http takes headers as one flat [name, value, name, value...] list, repeats included. */
function flat(pairs: HeaderPairs): string[] {
  const list: string[] = [];
  for (const [name, value] of pairs) list.push(name, value);
  return list;
}
