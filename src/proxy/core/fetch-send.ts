import { DECODED_CODINGS } from './content-coding.js';
import type { WebAbort } from './web-abort.js';
import type { HeaderPairs } from './proxy-input.js';
import type { UpstreamSend } from './upstream.js';

/** A fetch as the web shell needs it: the runtime's own, or a guarded one (crossroute/proxy/node's guardedFetch). */
export type FetchFunction = (url: URL, init: RequestInit) => Promise<Response>;

type WebBody = ReadableStream<Uint8Array>;

/**
 * The codings the proxy passes on, asked for by name: a runtime's own list can name more (Node's
 * fetch offers deflate, which workerd would not decode), and those the proxy refuses.
 */
const ACCEPT_ENCODING: [string, string] = ['accept-encoding', DECODED_CODINGS.join(', ')];

/** Sends hops with a fetch that leaves redirects to the proxy (redirect: "manual"). */
export function fetchSend(fetchFn: FetchFunction): UpstreamSend<Uint8Array, WebBody, WebAbort> {
  return async ({ url, method, headers, body, abort }) => {
    // A range is asked for in identity: Fetch adds that itself.
    const sent = headers.some(([name]) => name === 'range') ? headers : [...headers, ACCEPT_ENCODING];
    const response = await fetchFn(url, { method, headers: sent, body: body as RequestInit['body'], signal: abort.signal, redirect: 'manual' });
    // Fetch decodes the body: the wire's length no longer describes it. Content-Encoding stays for
    // the core to check the coding (it never goes back to the caller).
    const decoded = response.headers.has('content-encoding');
    const pairs: HeaderPairs = [];
    for (const pair of response.headers) if (!decoded || pair[0] !== 'content-length') pairs.push(pair);
    return {
      status: response.status,
      headers: pairs,
      body: response.body,
      discard: () => void response.body?.cancel().catch(() => undefined),
    };
  };
}
