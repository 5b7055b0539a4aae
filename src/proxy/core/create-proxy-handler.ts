import { WebAbort } from './web-abort.js';
import { fetchSend, type FetchFunction } from './fetch-send.js';
import { answerTooLarge, fetchTarget } from './fetch-target.js';
import { abortTooLarge, inspectRequest } from './inspect-request.js';
import { meterStream } from './meter-stream.js';
import { ProxyConfigError } from './proxy-config-error.js';
import { resolveProxyConfig } from './proxy-config.js';
import { findFailure, ProxyFailure } from './proxy-failure.js';
import type { ProxyInput } from './proxy-input.js';
import type { ProxyOptions } from './proxy-options.js';
import { reportExchange } from './report-exchange.js';
import { answerHeaders, failureHeaders } from './response-headers.js';

export interface ProxyHandlerOptions extends ProxyOptions {
  /**
   * How the proxy reaches targets. It must refuse non-public resolved addresses, which only the
   * runtime can see: on Node pass `guardedFetch()` from crossroute/proxy/node; on workerd the
   * global fetch with the worker's outbound network limited to public addresses (see the README).
   */
  fetch: FetchFunction;
}

/** Answers one proxy request: the target's response, or the proxy's JSON error. */
export type ProxyHandler = (request: Request) => Promise<Response>;

/** Statuses whose responses have no body (Fetch's null body status). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * The proxy on web-standard Request and Response only (tested on Node 20 and workerd; Deno and
 * Bun have the same APIs): the app mounts it at a same-origin path and calls it with
 * `?url=<target>`. Bodies stream both ways.
 */
export function createProxyHandler(options: ProxyHandlerOptions): ProxyHandler {
  const config = resolveProxyConfig(options, ['fetch']);
  if (typeof options.fetch !== 'function') {
    throw new ProxyConfigError(
      'invalid-option',
      'options.fetch is required: the proxy needs a fetch that refuses non-public resolved addresses. On Node pass guardedFetch() from crossroute/proxy/node (or use createNodeProxy); on workerd pass globalThis.fetch and limit the outbound network to public addresses.',
    );
  }
  const send = fetchSend(options.fetch);

  return async (request) => {
    const started = Date.now();
    const input = webInput(request);
    const refusal = (failure: ProxyFailure, corsOrigin: string | null): Response => {
      reportExchange(config, input, started, failure.status, { failure });
      return new Response(JSON.stringify(failure.body), { status: failure.status, headers: failureHeaders(config, failure, corsOrigin) });
    };
    const inspection = inspectRequest(config, input);
    if (inspection.kind === 'preflight') {
      reportExchange(config, input, started, 204, {});
      return new Response(null, { status: 204, headers: inspection.headers });
    }
    if (inspection.kind === 'refuse') return refusal(inspection.failure, inspection.corsOrigin);
    const { exchange } = inspection;
    const abort = new WebAbort();
    request.signal?.addEventListener('abort', () => abort.abort(request.signal.reason), { once: true });
    const body =
      request.body && exchange.method !== 'GET' && exchange.method !== 'HEAD'
        ? request.body.pipeThrough(meterStream(config.maxRequestBytes, abortTooLarge(config, abort)))
        : null;
    try {
      const answer = await fetchTarget(config, exchange, body, send, abort);
      const passBody = answer.body !== null && exchange.method !== 'HEAD' && !NULL_BODY_STATUSES.has(answer.status);
      const response = new Response(
        passBody ? answer.body!.pipeThrough(meterStream(config.maxResponseBytes, answerTooLarge)) : null,
        { status: answer.status, headers: answerHeaders(answer.headers, exchange.corsOrigin, answer) },
      );
      reportExchange(config, input, started, answer.status, { upstream: answer });
      return response;
    } catch (error) {
      return refusal(findFailure(error) ?? new ProxyFailure('upstream-failed', 502, `the target's answer cannot be passed on: ${String(error)}`), exchange.corsOrigin);
    }
  };
}

function webInput(request: Request): ProxyInput {
  return {
    method: request.method,
    target: new URL(request.url).searchParams.get('url'),
    header: (name) => request.headers.get(name),
    headers: () => request.headers,
  };
}
