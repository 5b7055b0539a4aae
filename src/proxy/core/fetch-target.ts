import { checkTarget } from './check-target.js';
import { checkedCoding } from './content-coding.js';
import type { ExchangeAbort } from './exchange-abort.js';
import type { Exchange } from './inspect-request.js';
import { urlProblem } from './parse-target.js';
import type { ProxyConfig } from './proxy-config.js';
import { findFailure, ProxyFailure, quote } from './proxy-failure.js';
import { hopHeaders } from './request-headers.js';
import type { UpstreamSummary } from './response-headers.js';
import type { UpstreamAnswer, UpstreamSend } from './upstream.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export type FinalAnswer<Body> = UpstreamAnswer<Body> &
  UpstreamSummary & {
    /** False for a HEAD and Fetch's null body statuses: whatever the headers say, no body follows them. */
    hasBody: boolean;
  };

/**
 * Sends the exchange and follows redirects itself, so that every hop passes the allowlist and the
 * address rules again (a runtime's own redirect handling would skip them). Method changes follow
 * Fetch's HTTP-redirect fetch: 303 (and 301/302 after POST) become a GET without body; 307 and
 * 308 send the same body again. The whole chain must answer within options.timeoutSeconds; `abort` also
 * carries the caller going away and options.deadlineSeconds.
 */
export async function fetchTarget<RequestBody, ResponseBody, Abort extends ExchangeAbort>(
  config: ProxyConfig,
  exchange: Exchange,
  body: RequestBody | null,
  send: UpstreamSend<RequestBody, ResponseBody, Abort>,
  abort: Abort,
): Promise<FinalAnswer<ResponseBody>> {
  const timer = setTimeout(
    () => abort.abort(new ProxyFailure('upstream-timeout', 504, `the target did not answer within ${config.timeoutMs / 1000} s (options.timeoutSeconds).`)),
    config.timeoutMs,
  );
  try {
    let url = exchange.target;
    let method = exchange.method;
    let rule = exchange.rule;
    let hopBody = body;
    // Like Fetch, credentials stop for good once a redirect leaves the first target's origin, so an
    // open redirect elsewhere cannot aim a credentialed request back at any path of it.
    let leftFirstOrigin = false;
    let credentialed = false;
    for (let redirects = 0; ; redirects++) {
      leftFirstOrigin ||= url.origin !== exchange.target.origin;
      const headers = hopHeaders(exchange.headers, rule, !leftFirstOrigin, method === exchange.method);
      credentialed ||= headers.some(([name]) => name === 'authorization' || name === 'cookie');
      const answer = await send({ url, method, headers, body: hopBody, abort });
      const location = REDIRECT_STATUSES.has(answer.status) ? answer.headers.find(([name]) => name === 'location')?.[1] : undefined;
      if (location === undefined) {
        const hasBody = method !== 'HEAD' && !NULL_BODY_STATUSES.has(answer.status);
        const final = { ...answer, url, redirects, credentialed, hasBody };
        return hasBody ? checkedCoding(checkedSize(config, final)) : final;
      }
      answer.discard();
      const what = `redirect ${redirects + 1} (${answer.status} from ${url.origin}) to`;
      if (redirects === config.maxRedirects) {
        throw new ProxyFailure('too-many-redirects', 502, `the target redirected more than ${config.maxRedirects} times (options.maxRedirects); last ${what} ${quote(location)}.`);
      }
      const next = resolveLocation(location, url);
      const problem = next ? urlProblem(next) : 'it is not a URL';
      if (!next || problem) throw new ProxyFailure('target-not-allowed', 403, `${what} ${quote(location)} is refused: ${problem}.`);
      rule = checkTarget(config, next, what);
      if ((answer.status === 303 && method !== 'GET' && method !== 'HEAD') || ((answer.status === 301 || answer.status === 302) && method === 'POST')) {
        method = 'GET';
        hopBody = null;
      }
      // Otherwise (307, 308) the body goes again: the shells hold request bodies as bytes, as Fetch does.
      url = next;
    }
  } catch (error) {
    const failure = findFailure(error) ?? findFailure(abort.reason);
    throw failure ?? new ProxyFailure('upstream-failed', 502, 'the target could not be reached.', describe(error));
  } finally {
    clearTimeout(timer);
  }
}

/** Answers that have no body whatever their Content-Length says (Fetch's null body statuses). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function resolveLocation(location: string, base: URL): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}

/** An answer without a declared length that grew past the limit while it was streamed. */
export function answerTooLarge(): ProxyFailure {
  return new ProxyFailure('response-too-large', 502, 'the answer grew over options.maxResponseBytes');
}

function checkedSize<Body>(config: ProxyConfig, answer: FinalAnswer<Body>): FinalAnswer<Body> {
  const length = Number(answer.headers.find(([name]) => name === 'content-length')?.[1]);
  if (length > config.maxResponseBytes) {
    answer.discard();
    throw new ProxyFailure('response-too-large', 502, `the target's answer has ${length} bytes, over options.maxResponseBytes (${config.maxResponseBytes}).`);
  }
  return answer;
}

/**
 * Why an answer's body failed after its status went out: the exchange's own abort reason (the
 * deadline, a size limit), a pause past options.timeoutSeconds, or the target cutting it.
 */
export function cutFailure(error: unknown, abortReason: unknown): ProxyFailure {
  const known = findFailure(abortReason) ?? findFailure(error);
  if (known) return known;
  const detail = describe(error);
  if (/UND_ERR_BODY_TIMEOUT/.test(detail)) return new ProxyFailure('upstream-timeout', 504, 'the target paused its answer longer than options.timeoutSeconds.', detail);
  return new ProxyFailure('upstream-failed', 502, "the target's answer was cut.", detail);
}

/** The innermost message and code (ECONNREFUSED, ENOTFOUND...), which say more than "fetch failed". */
function describe(error: unknown): string {
  let inner = error;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  if (!(inner instanceof Error)) return String(inner);
  const code = (inner as Error & { code?: unknown }).code;
  return typeof code === 'string' && !inner.message.includes(code) ? `${inner.message} (${code})` : inner.message;
}
