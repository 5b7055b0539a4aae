import { diagnose, DoctorError, type CredentialsMode, type Diagnosis, type DoctorRequest } from '../../doctor/index.js';
import { checkTarget } from './check-target.js';
import type { FetchFunction } from './fetch-send.js';
import type { Exchange } from './inspect-request.js';
import type { ProxyConfig } from './proxy-config.js';
import { findFailure, ProxyFailure } from './proxy-failure.js';

/** What a caller may ask of a diagnosis (the JSON body of `POST <proxy>?url=<target>&diagnose`). */
const ASKED = ['method', 'headers', 'credentials', 'read'];
/** Stands in for an Authorization value the target's rule does not release: the preflight still names the header. */
const WITHHELD = 'crossroute-diagnosis';

/**
 * The CORS doctor run by the proxy for its caller: what a browser on the caller's `Origin` meets
 * when it fetches the target in cors mode. Every hop the doctor sends (preflight, GET or HEAD,
 * each redirect) passes the proxy's allowlist and address rules and goes through the proxy's own
 * guarded fetch; an unsafe actual request is never sent. A hop the rules refuse fails the whole
 * diagnosis with that refusal, as a proxy request would; a network error is reported without
 * what only the server should know (the address, the connect error).
 */
export async function diagnoseTarget(config: ProxyConfig, exchange: Exchange, origin: string | null, body: Uint8Array | null, fetchFn: FetchFunction, outer: AbortSignal): Promise<Omit<Diagnosis, 'steps'>> {
  const asked = parseAsk(body);
  if (origin === null) throw malformed('the request has no Origin header: a diagnosis is for the origin that asks (browsers send it with every POST).');
  if (asked.headers && !exchange.rule?.forwardAuthorization) asked.headers = asked.headers.map(([name, value]) => [name, name.toLowerCase() === 'authorization' ? WITHHELD : value]);
  const controller = new AbortController();
  const stop = (): void => controller.abort(outer.reason);
  outer.addEventListener('abort', stop, { once: true });
  const timer = setTimeout(() => controller.abort(new ProxyFailure('upstream-timeout', 504, `the diagnosis did not complete within ${config.timeoutMs / 1000} s (options.timeoutSeconds).`)), config.timeoutMs);
  let refused: ProxyFailure | undefined;
  const guardedHop = async (raw: string, init: RequestInit): Promise<Response> => {
    try {
      const url = new URL(raw);
      checkTarget(config, url, url.href === exchange.target.href ? 'the target' : 'a redirect to');
      return await fetchFn(url, { ...init, signal: controller.signal });
    } catch (error) {
      refused ??= findFailure(error) ?? findFailure(controller.signal.reason);
      throw new Error('the target could not be reached');
    }
  };
  try {
    const { steps: _steps, ...diagnosis } = await diagnose({ ...asked, url: exchange.target.href, origin }, { fetch: guardedHop, maxRedirects: config.maxRedirects });
    if (refused) throw refused;
    return diagnosis;
  } catch (error) {
    if (error instanceof DoctorError) throw malformed(`${error.message}.`);
    throw error;
  } finally {
    clearTimeout(timer);
    outer.removeEventListener('abort', stop);
  }
}

function malformed(reason: string): ProxyFailure {
  return new ProxyFailure('malformed-diagnosis', 400, `${reason} Ask with a JSON body such as {"method":"POST","headers":[["content-type","application/json"]],"credentials":"include"}.`);
}

/** The caller's JSON, by allowlist: the request to diagnose, never an instruction to send an unsafe one. */
function parseAsk(body: Uint8Array | null): Pick<DoctorRequest, 'method' | 'credentials' | 'read'> & { headers?: Array<[string, string]> } {
  let parsed: unknown;
  try {
    parsed = body === null ? {} : JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw malformed('the body is not JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw malformed('the body is not a JSON object.');
  const fields = parsed as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !ASKED.includes(key));
  if (unknown !== undefined) throw malformed(`"${unknown.slice(0, 40)}" is not asked of a diagnosis (known: ${ASKED.join(', ')}; the proxy never sends an unsafe request).`);
  const { method, headers, credentials, read } = fields;
  if (method !== undefined && typeof method !== 'string') throw malformed('method must be a string.');
  if (headers !== undefined && !(Array.isArray(headers) && headers.every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every((part) => typeof part === 'string')))) {
    throw malformed('headers must be a list of [name, value] string pairs.');
  }
  if (credentials !== undefined && typeof credentials !== 'string') throw malformed('credentials must be "omit", "same-origin" or "include".');
  if (read !== undefined && !(Array.isArray(read) && read.every((name) => typeof name === 'string'))) throw malformed('read must be a list of header names.');
  return {
    ...(method === undefined ? {} : { method }),
    ...(headers === undefined ? {} : { headers: headers as Array<[string, string]> }),
    ...(credentials === undefined ? {} : { credentials: credentials as CredentialsMode }),
    ...(read === undefined ? {} : { read: read as string[] }),
  };
}
