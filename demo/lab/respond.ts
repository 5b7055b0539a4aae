/**
 * Response helpers shared by the lab routes: the only place CORS headers are
 * written, so "which endpoint grants CORS" is visible at each call site.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Methods every preflight-answering endpoint allows (seed 004: PUT/PATCH/DELETE force a preflight). */
const PREFLIGHT_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
/** Allowed when the preflight did not list any: the headers the demo and tests send. */
const DEFAULT_ALLOW_HEADERS = 'content-type, authorization, x-custom';

/**
 * Grants CORS to the app origin only (never `*`, seed 000's
 * `Access-Control-Allow-Origin: http://www.example.com`). `Vary: Origin`
 * keeps shared caches from mixing this answer with one for another origin.
 */
export function grantCors(res: ServerResponse, appOrigin: string, credentials = false): void {
  res.setHeader('Access-Control-Allow-Origin', appOrigin);
  res.appendHeader('Vary', 'Origin');
  // A credentialed request (e.g. sendBeacon, whose credentials mode is always
  // "include") also needs this, or the CORS check fails (Fetch §4.9).
  if (credentials) res.setHeader('Access-Control-Allow-Credentials', 'true');
}

/**
 * Writes CORS headers as a misconfigured server does (a wrong origin, `*` with credentials, a field
 * sent twice): the lab's deliberate mistakes, which the CORS doctor must name.
 */
export function grantCorsWrongly(res: ServerResponse, fields: Readonly<Record<string, string | readonly string[]>>): void {
  for (const [name, value] of Object.entries(fields)) res.setHeader(name, value);
  res.appendHeader('Vary', 'Origin');
}

export interface PreflightAnswer {
  /** false reproduces seed 004's "Request headers are not supported": no Access-Control-Allow-Headers at all. */
  readonly allowHeaders: boolean;
  readonly credentials?: boolean;
  /** false reproduces a preflight answer without Access-Control-Allow-Methods (only GET, HEAD, POST then pass). */
  readonly allowMethods?: boolean;
}

/** 204 to an OPTIONS preflight: ACAO, Allow-Methods, echoed Allow-Headers, and Max-Age 0 so no preflight cache entry outlives a test. */
export function answerPreflight(
  req: IncomingMessage,
  res: ServerResponse,
  appOrigin: string,
  answer: PreflightAnswer,
): void {
  grantCors(res, appOrigin, answer.credentials);
  if (answer.allowMethods !== false) res.setHeader('Access-Control-Allow-Methods', PREFLIGHT_METHODS);
  if (answer.allowHeaders) {
    res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] || DEFAULT_ALLOW_HEADERS);
    res.appendHeader('Vary', 'Access-Control-Request-Headers');
  }
  res.setHeader('Access-Control-Max-Age', '0');
  sendEmpty(res, 204);
}

export function send(res: ServerResponse, status: number, body: string | Buffer, contentType: string): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', bytes.length);
  res.end(bytes);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  send(res, status, text, 'text/plain; charset=utf-8');
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.statusCode = status;
  res.end();
}

/** 405 with the `Allow` header HTTP requires on it (RFC 9110 §15.5.6); never CORS headers. */
export function rejectMethod(res: ServerResponse, allow: readonly string[]): void {
  res.setHeader('Allow', allow.join(', '));
  sendText(res, 405, `method not allowed; allowed: ${allow.join(', ')}`);
}
