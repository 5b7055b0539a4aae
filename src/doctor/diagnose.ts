import {
  FetchSpecError,
  type Header,
  corsUnsafeRequestHeaderNames,
  explainRequest,
  isCorsSafelistedMethod,
  isForbiddenRequestHeader,
  isSameOrigin,
  originOf,
  toHeaderList,
  toRequestMethod,
} from '../fetch-spec/index.js';
import type { CheckFailure } from './check-failure.js';
import { corsCheckFailures } from './cors-check.js';
import { DoctorError, type DoctorField } from './errors.js';
import { exposeList, unexposedHeaders } from './exposed-headers.js';
import { preflightFix, responseFix, taintedFix } from './fix.js';
import { isRedirectStatus, preflightFailures } from './preflight-check.js';
import type { CredentialsMode, Diagnosis, DoctorFailure, DoctorOptions, DoctorRequest, DoctorStep, ReceivedResponse } from './types.js';

const CREDENTIALS_MODES: readonly CredentialsMode[] = ['omit', 'same-origin', 'include'];
/** Headers that describe a body: dropped when a redirect turns the request into a GET (Fetch's request-body-header names). */
const BODY_HEADERS = new Set(['content-encoding', 'content-language', 'content-location', 'content-type']);

/** Runs a fetch-spec check, turning its error into one that names the doctor's field. */
function field<T>(name: DoctorField, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof FetchSpecError) throw new DoctorError(name, error.message);
    throw error;
  }
}

function httpUrl(raw: string, name: DoctorField): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    const example = name === 'origin' ? 'http://localhost:5173' : 'https://api.example.com/path';
    throw new DoctorError(name, `"${raw}" is not an absolute URL: write it with its scheme, e.g. ${example}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DoctorError(name, `"${raw}" is not http(s): CORS applies to http and https only`);
  }
  return url;
}

interface Validated {
  readonly url: URL;
  readonly origin: string;
  readonly method: string;
  readonly headers: Header[];
  readonly ignoredForbidden: string[];
  readonly credentialed: boolean;
  readonly body: string | undefined;
  readonly read: readonly string[];
}

function validate(input: DoctorRequest): Validated {
  const url = httpUrl(input.url, 'url');
  const origin = originOf(httpUrl(input.origin, 'origin').href);
  const method = field('method', () => toRequestMethod(input.method ?? 'GET'));
  const credentials = input.credentials ?? 'same-origin';
  if (!CREDENTIALS_MODES.includes(credentials)) throw new DoctorError('credentials', `must be one of ${CREDENTIALS_MODES.join(', ')}, got "${String(credentials)}"`);
  if (input.body !== undefined && (method === 'GET' || method === 'HEAD')) throw new DoctorError('body', `a ${method} request has no body: drop it or use POST`);
  const all = field('headers', () => toHeaderList(input.headers ?? []));
  const read = input.read ?? [];
  for (const name of read) if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new DoctorError('read', `"${name}" is not a header name`);
  return {
    url,
    origin,
    method,
    headers: all.filter((header) => !isForbiddenRequestHeader(header.name, header.value)),
    ignoredForbidden: all.filter((header) => isForbiddenRequestHeader(header.name, header.value)).map((header) => header.name),
    credentialed: credentials === 'include',
    body: input.body,
    read,
  };
}

async function send(options: DoctorOptions, method: string, url: string, headers: Array<[string, string]>, body: string | undefined): Promise<ReceivedResponse | { error: string }> {
  try {
    const response = await options.fetch(url, { method, headers, body, redirect: 'manual' });
    const received = { status: response.status, headers: [...response.headers] };
    await response.body?.cancel();
    return received;
  } catch (error) {
    return { error: error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error) };
  }
}

/**
 * Does what a browser does for a cors-mode fetch() of `input` from a page on `input.origin`: the
 * preflight where one is needed, the CORS check of each answer, each redirect hop (Origin "null"
 * after a cross-origin one); and says which check fails first, why, and what fixes it. The actual
 * request is sent only when it is GET or HEAD, or `sendActual` is set. Cookies are never sent.
 */
export async function diagnose(input: DoctorRequest, options: DoctorOptions): Promise<Diagnosis> {
  const request = validate(input);
  const maxRedirects = options.maxRedirects ?? 20;
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0) throw new DoctorError('maxRedirects', `must be a whole number, got ${maxRedirects}`);
  const explanation = explainRequest(
    { url: request.url.href, method: request.method, headers: request.headers.map((h): [string, string] => [h.name, h.value]), body: request.body === undefined ? 'none' : 'bytes' },
    request.origin,
  );
  const firstOrigin = request.url.origin;
  const notes: string[] = [];
  if (request.ignoredForbidden.length > 0) notes.push(`the browser does not let script set ${request.ignoredForbidden.join(', ')}: not sent`);
  if (!explanation.crossOrigin) notes.push('same origin as the page: the browser checks no CORS headers (unless a redirect leaves the origin)');
  if (request.credentialed) notes.push("the doctor sends no cookies: with credentials: 'include' the browser adds the page's cookies for the target, and the server may answer differently");

  const steps: DoctorStep[] = [];
  const blocked = (failure: Omit<DoctorFailure, 'step'>): Diagnosis => ({
    verdict: 'blocked',
    crossOrigin: explanation.crossOrigin,
    preflightReasons: explanation.reasons.map((reason) => reason.message),
    steps,
    failure: { step: steps.length - 1, ...failure },
    notes,
  });
  const where = (url: URL): string => (url.origin === firstOrigin ? `${url.pathname}${url.search}` : url.href);
  const first = (failures: CheckFailure[]) => ({ reason: failures[0]!.reason, message: failures[0]!.message });
  const networkFailure = (url: URL, error: string) => ({
    reason: 'CORSDidNotSucceed' as const,
    message: `no HTTP answer from ${url.href}: ${error}`,
    fix: `make ${url.origin} reachable from where the page runs (the browser got no answer at all, so no CORS header can help)`,
  });

  let url = request.url;
  let method = request.method;
  let headers = request.headers;
  let body = request.body;
  let tainted = false;
  let corsTainting = false;
  for (let hop = 0; ; hop++) {
    const origin = tainted ? 'null' : request.origin;
    corsTainting ||= !isSameOrigin(url.href, request.origin);
    const unsafeNames = corsUnsafeRequestHeaderNames(headers.map((h): [string, string] => [h.name, h.value]));
    if (corsTainting && (!isCorsSafelistedMethod(method) || unsafeNames.length > 0)) {
      const sent = {
        method: 'OPTIONS',
        url: url.href,
        headers: [
          ['accept', '*/*'],
          ['access-control-request-method', method],
          ...(unsafeNames.length > 0 ? [['access-control-request-headers', unsafeNames.join(',')] as const] : []),
          ['origin', origin],
        ] as Array<[string, string]>,
      };
      const answer = await send(options, 'OPTIONS', url.href, sent.headers, undefined);
      if ('error' in answer) {
        steps.push({ kind: 'preflight', sent, networkError: answer.error, result: 'failed' });
        return blocked(networkFailure(url, answer.error));
      }
      const failures = preflightFailures(answer.status, new Headers(answer.headers as Array<[string, string]>), {
        method,
        unsafeNames,
        origin,
        credentialed: request.credentialed,
      });
      steps.push({ kind: 'preflight', sent, received: answer, result: failures.length > 0 ? 'failed' : 'passed' });
      if (failures.length > 0) {
        const fix = tainted ? taintedFix(method, where(url), request.credentialed) : preflightFix(where(url), answer.status, failures);
        return blocked({ ...first(failures), fix });
      }
    }

    const sent = {
      method,
      url: url.href,
      headers: [...headers.map((h): [string, string] => [h.name, h.value]), ...(corsTainting || (method !== 'GET' && method !== 'HEAD') ? [['origin', origin] as [string, string]] : [])],
    };
    if (method !== 'GET' && method !== 'HEAD' && !input.sendActual) {
      steps.push({ kind: 'request', sent, result: 'not-sent' });
      notes.push(`the ${method} itself was not sent (it may change data on the server): pass sendActual to check its answer too`);
      return { verdict: 'unverified', crossOrigin: explanation.crossOrigin, preflightReasons: explanation.reasons.map((r) => r.message), steps, notes };
    }
    const answer = await send(options, method, url.href, sent.headers, body);
    if ('error' in answer) {
      steps.push({ kind: 'request', sent, networkError: answer.error, result: 'failed' });
      return blocked(networkFailure(url, answer.error));
    }
    const responseHeaders = new Headers(answer.headers as Array<[string, string]>);
    const location = isRedirectStatus(answer.status) ? responseHeaders.get('location') : null;
    const failures = corsTainting ? corsCheckFailures(responseHeaders, origin, request.credentialed) : [];
    steps.push({ kind: 'request', sent, received: answer, result: failures.length > 0 ? 'failed' : corsTainting ? 'passed' : 'basic' });
    if (failures.length > 0) {
      const fix = tainted ? taintedFix(method, where(url), request.credentialed) : responseFix(method, where(url), answer.status, location !== null, failures);
      return blocked({ ...first(failures), fix });
    }

    if (location === null) {
      const hidden = corsTainting ? unexposedHeaders(responseHeaders, request.read, request.credentialed) : [];
      if (hidden.length > 0) {
        return blocked({
          reason: 'HeaderNotExposed',
          message: `the request succeeds, but response.headers.get() returns null for ${hidden.join(', ')}: not in Access-Control-Expose-Headers (${responseHeaders.get('access-control-expose-headers') ?? 'missing'})`,
          fix: hidden.some((name) => name.startsWith('set-cookie'))
            ? 'a page can never read Set-Cookie: read the value from the body or another header'
            : responseFix(method, where(url), answer.status, false, [{ reason: 'HeaderNotExposed', message: '', needs: [`Access-Control-Expose-Headers: ${exposeList(responseHeaders, hidden)}`] }]),
        });
      }
      return { verdict: 'ok', crossOrigin: explanation.crossOrigin, preflightReasons: explanation.reasons.map((r) => r.message), steps, notes };
    }

    // Fetch's HTTP-redirect fetch, as the browser runs it for redirect: 'follow'.
    if (hop >= maxRedirects) return blocked(networkFailure(url, `more than ${maxRedirects} redirects`));
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      return blocked(networkFailure(url, `the Location "${location}" is not a URL`));
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      return blocked({ reason: 'CORSRequestNotHttp', message: `the redirect goes to ${next.href}, which is not http(s)`, fix: `redirect ${method} ${where(url)} to an http(s) URL` });
    }
    if ((next.username !== '' || next.password !== '') && !isSameOrigin(request.origin, next.href)) {
      return blocked({
        reason: 'CORSExternalRedirectNotAllowed',
        message: `the redirect to ${next.origin} carries credentials in its URL, which a cors request may not follow`,
        fix: `redirect ${method} ${where(url)} to a URL without user name or password`,
      });
    }
    if (((answer.status === 301 || answer.status === 302) && method === 'POST') || (answer.status === 303 && method !== 'GET' && method !== 'HEAD')) {
      method = 'GET';
      body = undefined;
      headers = headers.filter((h) => !BODY_HEADERS.has(h.name));
    }
    if (!isSameOrigin(url.href, next.href) && !isSameOrigin(request.origin, url.href)) tainted = true;
    url = next;
  }
}
