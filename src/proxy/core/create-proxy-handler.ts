import { WebAbort } from './web-abort.js';
import { ExchangeRecords } from './exchange-records.js';
import { ExchangeRun, InFlight } from './exchange-run.js';
import { fetchSend, type FetchFunction } from './fetch-send.js';
import { answerTooLarge, cutFailure, fetchTarget, type FinalAnswer } from './fetch-target.js';
import { inspectRequest, tooLarge } from './inspect-request.js';
import { ProxyConfigError } from './proxy-config-error.js';
import { resolveProxyConfig, type ProxyConfig } from './proxy-config.js';
import { CALLER_GONE, findFailure, ProxyFailure } from './proxy-failure.js';
import type { ProxyInput } from './proxy-input.js';
import type { ProxyOptions } from './proxy-options.js';
import { reportExchange } from './report-exchange.js';
import { answerHeaders, failureHeaders, jsonHeaders } from './response-headers.js';
import { diagnoseTarget } from './diagnose-target.js';

export interface ProxyHandlerOptions extends ProxyOptions {
  /**
   * How the proxy reaches targets. It must refuse non-public resolved addresses, which only the
   * runtime can see: on Node pass `guardedFetch()` from crossroute/proxy/node; on workerd the
   * global fetch with the worker's outbound network limited to public addresses (see the README).
   */
  fetch: FetchFunction;
  /**
   * Who may use the proxy beyond the caller check (which stops other sites' pages, not other
   * clients): e.g. a session cookie or a token. false (or a throw) is a 403 `not-authorized`.
   */
  authorize?: (request: Request) => boolean | Promise<boolean>;
}

/** Answers one proxy request: the target's response, or the proxy's JSON error. */
export type ProxyHandler = (request: Request) => Promise<Response>;

/**
 * The proxy on web-standard Request and Response only (tested on Node 20 and workerd; Deno and
 * Bun have the same APIs): the app mounts it at a same-origin path and calls it with
 * `?url=<target>`. The request body is read whole (up to options.maxRequestBytes, so a 307/308
 * can send it again); the answer's body streams.
 */
export function createProxyHandler(options: ProxyHandlerOptions): ProxyHandler {
  const config = resolveProxyConfig(options, ['fetch', 'authorize']);
  if (typeof options.fetch !== 'function') {
    throw new ProxyConfigError(
      'invalid-option',
      'options.fetch is required: the proxy needs a fetch that refuses non-public resolved addresses. On Node pass guardedFetch() from crossroute/proxy/node (or use createNodeProxy); on workerd pass globalThis.fetch and limit the outbound network to public addresses.',
    );
  }
  if (options.authorize !== undefined && typeof options.authorize !== 'function') throw new ProxyConfigError('invalid-option', 'options.authorize must be a function (request) => boolean | Promise<boolean>.');
  const { authorize } = options;
  const send = fetchSend(options.fetch);
  const slots = new InFlight(config.maxInFlight);
  const records = new ExchangeRecords();

  return async (request) => {
    const started = Date.now();
    const input = webInput(request);
    const inspection = await inspectRequest(config, input, authorize && (() => authorize(request)), slots, records);
    if (inspection.kind === 'preflight') {
      reportExchange(config, input, started, 204, {});
      return new Response(null, { status: 204, headers: inspection.headers });
    }
    if (inspection.kind === 'record') {
      reportExchange(config, input, started, 200, {});
      return new Response(JSON.stringify(inspection.body), { status: 200, headers: jsonHeaders(inspection.corsOrigin) });
    }
    if (inspection.kind === 'refuse') {
      reportExchange(config, input, started, inspection.failure.status, { failure: inspection.failure });
      return failureResponse(config, inspection.failure, inspection.corsOrigin);
    }
    const { exchange } = inspection;
    const abort = new WebAbort();
    const run = new ExchangeRun(config, input, started, slots, records, abort);
    request.signal?.addEventListener('abort', () => abort.abort(CALLER_GONE), { once: true });
    try {
      const body = exchange.hasBody ? await readBody(request.body!, config, abort) : null;
      if (exchange.diagnose) {
        const diagnosis = await diagnoseTarget(config, exchange, input.header('origin'), body, options.fetch, abort.signal);
        run.settle(200, {});
        return new Response(JSON.stringify(diagnosis), { status: 200, headers: jsonHeaders(exchange.corsOrigin) });
      }
      const answer = await fetchTarget(config, exchange, body, send, abort);
      const headers = answerHeaders(config, answer.headers, exchange.corsOrigin, answer, started, run.id);
      if (answer.body === null || !answer.hasBody) {
        answer.discard();
        run.settle(answer.status, { upstream: answer });
        return new Response(null, { status: answer.status, headers });
      }
      return new Response(deliver(config, answer as FinalAnswer<ReadableStream<Uint8Array>>, run, abort), { status: answer.status, headers });
    } catch (error) {
      const failure = findFailure(abort.reason) ?? findFailure(error) ?? new ProxyFailure('upstream-failed', 502, "the target's answer cannot be passed on.", String(error));
      run.settle(failure.status, { failure });
      return failureResponse(config, failure, exchange.corsOrigin);
    }
  };
}

function failureResponse(config: ProxyConfig, failure: ProxyFailure, corsOrigin: string | null): Response {
  return new Response(JSON.stringify(failure.body), { status: failure.status, headers: failureHeaders(config, failure, corsOrigin) });
}

/** The whole request body, refused past options.maxRequestBytes before anything connects. */
async function readBody(body: ReadableStream<Uint8Array>, config: ProxyConfig, abort: WebAbort): Promise<Uint8Array> {
  const reader = body.getReader();
  const cancel = () => void reader.cancel(abort.reason).catch(() => undefined);
  abort.signal.addEventListener('abort', cancel, { once: true });
  try {
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      bytes += next.value.byteLength;
      if (bytes > config.maxRequestBytes) {
        cancel();
        throw tooLarge(config);
      }
      chunks.push(next.value);
    }
    const whole = new Uint8Array(bytes);
    let at = 0;
    for (const chunk of chunks) {
      whole.set(chunk, at);
      at += chunk.byteLength;
    }
    return whole;
  } finally {
    abort.signal.removeEventListener('abort', cancel);
  }
}

/**
 * The answer's body for the caller: counted (past options.maxResponseBytes it is cut), and the
 * exchange settles when its last byte is handed over or it fails, so the log says which. The
 * exchange's abort (the deadline, the caller gone) fails it whether or not the caller is reading:
 * a caller that stops reading must not keep its maxInFlight slot, nor leave its log entry unwritten.
 */
function deliver(config: ProxyConfig, answer: FinalAnswer<ReadableStream<Uint8Array>>, run: ExchangeRun, abort: WebAbort): ReadableStream<Uint8Array> {
  const reader = answer.body!.getReader();
  let bytes = 0;
  let cut: ProxyFailure | undefined;
  let onAbort = () => {};
  const settle = (failure?: ProxyFailure) => {
    abort.signal.removeEventListener('abort', onAbort);
    run.settle(answer.status, { upstream: answer, ...(failure ? { failure } : {}) });
    if (failure) void reader.cancel(failure).catch(() => undefined);
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      onAbort = () => {
        const failure = cutFailure(undefined, abort.reason);
        settle(failure);
        controller.error(failure);
      };
      // The deadline may have passed while the answer's headers were handed over.
      if (abort.aborted) onAbort();
      else abort.signal.addEventListener('abort', onAbort, { once: true });
    },
    async pull(controller) {
      if (cut) return controller.error(cut);
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        const failure = cutFailure(error, abort.reason);
        settle(failure);
        return controller.error(failure);
      }
      if (next.done) {
        settle();
        return controller.close();
      }
      const room = config.maxResponseBytes - bytes;
      bytes += next.value.byteLength;
      if (bytes <= config.maxResponseBytes) return controller.enqueue(next.value);
      // Exactly maxResponseBytes reach the caller, then the error (on the next pull: an error now
      // would drop the bytes still queued), so the worker can tell this cut from the others.
      cut = answerTooLarge();
      settle(cut);
      if (room > 0) controller.enqueue(next.value.subarray(0, room));
      else controller.error(cut);
    },
    cancel() {
      // Settles through onAbort, unless the exchange has already settled.
      abort.abort(CALLER_GONE);
    },
  });
}

function webInput(request: Request): ProxyInput {
  const query = new URL(request.url).searchParams;
  return {
    method: request.method,
    target: query.get('url'),
    diagnose: query.has('diagnose'),
    exchange: query.get('exchange'),
    header: (name) => request.headers.get(name),
    headers: () => request.headers,
    body: () => (request.body === null ? 'none' : request.bodyUsed ? 'read' : 'unread'),
  };
}
