import type { WebAbort } from './web-abort.js';
import type { HeaderPairs } from './proxy-input.js';
import type { UpstreamSend } from './upstream.js';

/** A fetch as the web shell needs it: the runtime's own, or a guarded one (crossroute/proxy/node's guardedFetch). */
export type FetchFunction = (url: URL, init: RequestInit) => Promise<Response>;

type WebBody = ReadableStream<Uint8Array>;

/** Fetch's content codings are decoded by the runtime: their length and coding no longer describe the body. */
const DECODED_AWAY = new Set(['content-encoding', 'content-length']);

/** Sends hops with a fetch that leaves redirects to the proxy (redirect: "manual"). */
export function fetchSend(fetchFn: FetchFunction): UpstreamSend<Uint8Array, WebBody, WebAbort> {
  return async ({ url, method, headers, body, abort }) => {
    const response = await fetchFn(url, { method, headers, body: body as RequestInit['body'], signal: abort.signal, redirect: 'manual' });
    const decoded = response.headers.has('content-encoding');
    const pairs: HeaderPairs = [];
    for (const pair of response.headers) if (!decoded || !DECODED_AWAY.has(pair[0])) pairs.push(pair);
    return {
      status: response.status,
      headers: pairs,
      body: response.body,
      discard: () => void response.body?.cancel().catch(() => undefined),
    };
  };
}
