/**
 * The lab's endpoints, one per cross-origin scenario of the seed articles
 * (000: CORS and redirects, 003: "the request is sent even if CORS blocks the
 * response", 004: preflight failures). CORS headers are granted to the app
 * origin only, and only where the scenario calls for them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Asset } from './assets.js';
import { solidPng } from './png.js';
import {
  answerPreflight,
  grantCors,
  grantCorsWrongly,
  rejectMethod,
  send,
  sendEmpty,
  sendJson,
  sendText,
  type PreflightAnswer,
} from './respond.js';

export interface LabState {
  /** The one origin granted CORS, e.g. http://localhost:5173. */
  readonly appOrigin: string;
  readonly assets: ReadonlyMap<string, Asset>;
  /** Post ids "deleted" through POST /delete-post (seed 003's deletePost). */
  readonly deleted: Set<string>;
}

export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** Request body decoded as UTF-8 (already fully read). */
  readonly body: string;
}

type Handler = (x: Exchange, lab: LabState) => void;

const SLOW_CAP_MS = 10_000;
const READ_METHODS = ['GET', 'HEAD'];
/** What /preflight-405 would accept as an actual request: everything except OPTIONS. */
const NON_OPTIONS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** `?cors=1` opts an otherwise non-CORS endpoint into ACAO, to compare opaque and CORS loads of the same resource. */
function wantsCors(url: URL): boolean {
  return url.searchParams.get('cors') === '1';
}

/** Restricts a handler to GET/HEAD (Node omits the body for HEAD itself). */
function readOnly(handler: Handler): Handler {
  return (x, lab) => (READ_METHODS.includes(x.req.method ?? '') ? handler(x, lab) : rejectMethod(x.res, READ_METHODS));
}

function redirectToCors(res: ServerResponse): void {
  res.setHeader('Location', '/cors');
  sendText(res, 302, 'redirecting to /cors');
}

/** The "actual request" answer of the preflight endpoints: proves which method, type and body got through. */
function echo({ req, res, body }: Exchange, lab: LabState): void {
  grantCors(res, lab.appOrigin);
  sendJson(res, 200, { method: req.method, contentType: req.headers['content-type'] ?? null, body });
}

/** OPTIONS gets a preflight answer, any other method the echo. */
function preflighted(answer: PreflightAnswer): Handler {
  return (x, lab) =>
    x.req.method === 'OPTIONS' ? answerPreflight(x.req, x.res, lab.appOrigin, answer) : echo(x, lab);
}

/** Parses a non-negative decimal integer query parameter; undefined when absent or malformed. */
function intParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  return raw !== null && /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
}

const routes = new Map<string, Handler>([
  // seed 000: the CORS-enabled resource every redirect ends on.
  [
    '/cors',
    readOnly(({ res }, lab) => {
      grantCors(res, lab.appOrigin);
      sendJson(res, 200, { endpoint: 'cors' });
    }),
  ],
  // seed 000: a server without CORS; the request arrives, the page cannot read the answer.
  ['/no-cors', readOnly(({ res }) => sendJson(res, 200, { endpoint: 'no-cors' }))],
  // seed 000: every hop carries ACAO, so a cors-mode fetch follows the redirect.
  [
    '/cors-redirect',
    readOnly(({ res }, lab) => {
      grantCors(res, lab.appOrigin);
      redirectToCors(res);
    }),
  ],
  // seed 000: first hop lacks ACAO, so cors mode fails there; no-cors follows it (both hops in the log).
  ['/no-cors-redirect', readOnly(({ res }) => redirectToCors(res))],
  // seed 004, the fixed server: OPTIONS supported, requested headers allowed.
  ['/preflight', preflighted({ allowHeaders: true })],
  // seed 004 "Request headers are not supported": no Access-Control-Allow-Headers, so Content-Type: application/json fails.
  ['/missing-allow-headers', preflighted({ allowHeaders: false })],
  // seed 004 "OPTIONS are not enabled": the preflight gets 405 without CORS headers; the actual request would be fine.
  ['/preflight-405', (x, lab) => (x.req.method === 'OPTIONS' ? rejectMethod(x.res, NON_OPTIONS_METHODS) : echo(x, lab))],
  // seed 004 "Unauthenticated OPTIONS request": authenticates everything, but a preflight never carries Authorization.
  [
    '/preflight-401',
    (x, lab) => {
      if (x.req.headers.authorization === undefined) {
        grantCors(x.res, lab.appOrigin);
        x.res.setHeader('WWW-Authenticate', 'Bearer realm="crossroute-lab"');
        sendText(x.res, 401, 'authorization required');
      } else {
        preflighted({ allowHeaders: true })(x, lab);
      }
    },
  ],
  // The CORS doctor's mistakes, one server misconfiguration each (Fetch's CORS check and CORS-preflight fetch).
  // A trailing slash: Access-Control-Allow-Origin is compared byte for byte with the serialized origin.
  [
    '/wrong-allow-origin',
    readOnly(({ res }, lab) => {
      grantCorsWrongly(res, { 'Access-Control-Allow-Origin': `${lab.appOrigin}/` });
      sendJson(res, 200, { endpoint: 'wrong-allow-origin' });
    }),
  ],
  // `*` with credentials: a credentialed request is never admitted by the wildcard, Allow-Credentials or not.
  [
    '/wildcard-credentials',
    readOnly(({ res }) => {
      grantCorsWrongly(res, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' });
      sendJson(res, 200, { endpoint: 'wildcard-credentials' });
    }),
  ],
  // Two Allow-Origin fields (say the app and a reverse proxy both add one): the combined value matches no origin.
  [
    '/two-allow-origins',
    readOnly(({ res }, lab) => {
      grantCorsWrongly(res, { 'Access-Control-Allow-Origin': [lab.appOrigin, '*'] });
      sendJson(res, 200, { endpoint: 'two-allow-origins' });
    }),
  ],
  // The preflight grants origin and headers but no methods: a PUT (not safelisted) fails.
  ['/missing-allow-methods', preflighted({ allowHeaders: true, allowMethods: false })],
  // OPTIONS answered by a redirect (to the working /preflight): a preflight never follows one.
  [
    '/preflight-redirect',
    (x, lab) => {
      if (x.req.method !== 'OPTIONS') return echo(x, lab);
      grantCors(x.res, lab.appOrigin);
      x.res.setHeader('Location', '/preflight');
      sendText(x.res, 302, 'redirecting to /preflight');
    },
  ],
  // Readable, but X-Request-Id (the page reads it) is not in Access-Control-Expose-Headers: the page gets null.
  [
    '/unexposed-header',
    readOnly(({ res }, lab) => {
      grantCors(res, lab.appOrigin);
      res.setHeader('X-Request-Id', '42');
      res.setHeader('Access-Control-Expose-Headers', 'X-Trace');
      sendJson(res, 200, { endpoint: 'unexposed-header' });
    }),
  ],
  // One record per user (whoever the Authorization names), for caches that must not answer one user
  // with another's: `Vary: Authorization`, and `?cache-control=` sets that header (the lab's default is no-cache).
  [
    '/account',
    (x, lab) => {
      if (x.req.method === 'OPTIONS') return answerPreflight(x.req, x.res, lab.appOrigin, { allowHeaders: true });
      if (!READ_METHODS.includes(x.req.method ?? '')) return rejectMethod(x.res, READ_METHODS);
      grantCors(x.res, lab.appOrigin);
      x.res.appendHeader('Vary', 'Authorization');
      const cacheControl = x.url.searchParams.get('cache-control');
      if (cacheControl !== null) x.res.setHeader('Cache-Control', cacheControl);
      const user = x.req.headers.authorization;
      if (user === undefined) return sendText(x.res, 401, 'authorization required');
      sendJson(x.res, 200, { user });
    },
  ],
  // seed 003 deletePost: a simple (form) POST is sent and executed; only the response lacks CORS, so the page's fetch rejects anyway.
  [
    '/delete-post',
    ({ req, res, body }, lab) => {
      if (req.method !== 'POST') return rejectMethod(res, ['POST']);
      // Like the article's backend, no content-type or permission check: any body with an `id` field deletes.
      const id = new URLSearchParams(body).get('id');
      if (!id) return sendText(res, 400, 'missing form field "id"');
      lab.deleted.add(id);
      sendText(res, 200, `deleted post ${id}`);
    },
  ],
  // seed 003: lets the page prove the "blocked" deletePost really ran.
  [
    '/deleted',
    readOnly(({ res }, lab) => {
      grantCors(res, lab.appOrigin);
      sendJson(res, 200, { deleted: [...lab.deleted] });
    }),
  ],
  // navigator.sendBeacon sink. A beacon always has credentials mode "include",
  // so ?cors=1 also sends Access-Control-Allow-Credentials; a non-safelisted
  // body type (e.g. application/json) makes it preflighted.
  [
    '/beacon',
    ({ req, res, url }, lab) => {
      const cors = wantsCors(url);
      if (req.method === 'OPTIONS' && cors) {
        return answerPreflight(req, res, lab.appOrigin, { allowHeaders: true, credentials: true });
      }
      if (req.method !== 'POST') return rejectMethod(res, ['POST']);
      if (cors) grantCors(res, lab.appOrigin, true);
      sendEmpty(res, 204);
    },
  ],
  // A redirect to `?to=` (a path on the lab), readable in cors mode: a hop a worker's rules may refuse.
  [
    '/redirect',
    readOnly(({ res, url }, lab) => {
      const to = url.searchParams.get('to') ?? '';
      if (!/^\/(?![/\\])/.test(to)) return sendText(res, 400, '?to=/path (a path on the lab) is required');
      grantCors(res, lab.appOrigin);
      res.setHeader('Location', to);
      sendText(res, 302, `redirecting to ${to}`);
    }),
  ],
  // A slow origin for timeout / race scenarios; the timer dies with the connection so close() is never held up.
  [
    '/slow',
    readOnly(({ res, url }, lab) => {
      const ms = intParam(url, 'ms');
      if (ms === undefined) return sendText(res, 400, '?ms=N (a non-negative integer) is required');
      const wait = Math.min(ms, SLOW_CAP_MS);
      if (wantsCors(url)) grantCors(res, lab.appOrigin);
      const timer = setTimeout(() => sendText(res, 200, `slept ${wait}ms`), wait);
      res.once('close', () => clearTimeout(timer));
    }),
  ],
]);

/** /status/:code — any final status (1xx are interim, a client would keep waiting), ACAO only with ?cors=1. */
function status({ res, url }: Exchange, lab: LabState): void {
  const raw = url.pathname.slice('/status/'.length);
  const code = /^\d{3}$/.test(raw) ? Number(raw) : NaN;
  if (!(code >= 200 && code <= 599)) return sendText(res, 400, `status must be 200-599, got "${raw}"`);
  const retryAfter = url.searchParams.get('retry-after');
  if (retryAfter !== null) {
    const seconds = intParam(url, 'retry-after');
    if (seconds === undefined) return sendText(res, 400, `retry-after must be delay-seconds, got "${retryAfter}"`);
    res.setHeader('Retry-After', String(seconds));
  }
  if (wantsCors(url)) {
    grantCors(res, lab.appOrigin);
    // Retry-After is not a CORS-safelisted response header: a cors-mode client reads it only if exposed.
    if (retryAfter !== null) res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
  }
  // 204, 205 and 304 must not carry content (RFC 9110 §15.3.5, §15.3.6, §15.4.5).
  if (code === 204 || code === 205 || code === 304) sendEmpty(res, code);
  else sendText(res, code, `status ${code}`);
}

/** /assets/*: embeddable subresources, ACAO only with ?cors=1. */
function serveAsset(found: Asset): Handler {
  return readOnly(({ res, url }, lab) => {
    if ('missing' in found) return sendText(res, 404, found.missing);
    if (wantsCors(url)) grantCors(res, lab.appOrigin);
    send(res, 200, found.body, found.type);
  });
}

/**
 * /tiles/{z}/{x}/{y}.png: a 256×256 map tile of one colour per coordinate (a tile server without
 * CORS, for map libraries); ACAO only with ?cors=1.
 */
function tile({ res, url }: Exchange, lab: LabState): void {
  const match = /^\/tiles\/(\d{1,2})\/(\d{1,7})\/(\d{1,7})\.png$/.exec(url.pathname);
  if (!match) return sendText(res, 404, 'tiles are /tiles/{z}/{x}/{y}.png');
  const [z, x, y] = match.slice(1).map(Number) as [number, number, number];
  if (z > 20 || x >= 2 ** z || y >= 2 ** z) return sendText(res, 404, `no tile ${z}/${x}/${y}`);
  if (wantsCors(url)) grantCors(res, lab.appOrigin);
  send(res, 200, solidPng(256, 256, [(x * 37) % 256, (y * 91) % 256, (z * 53) % 256]), 'image/png');
}

/** Answers one recorded request. Unknown paths get 404 without CORS headers. */
export function route(x: Exchange, lab: LabState): void {
  const { pathname } = x.url;
  const found = lab.assets.get(pathname);
  if (found) return serveAsset(found)(x, lab);
  if (pathname.startsWith('/status/')) return status(x, lab);
  if (pathname.startsWith('/tiles/')) return readOnly(tile)(x, lab);
  const handler = routes.get(pathname);
  if (handler) return handler(x, lab);
  sendText(x.res, 404, `no lab endpoint at ${pathname}`);
}
