import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { HeaderPairs } from '../core/proxy-input.js';
import type { UpstreamSend } from '../core/upstream.js';
import type { NodeAbort } from './node-abort.js';

/** Sends hops through undici's dispatcher API on Node streams: no web streams, no Request objects. */
export function undiciSend(dispatcher: Dispatcher): UpstreamSend<Buffer, Readable, NodeAbort> {
  return async ({ url, method, headers, body, abort }) => {
    const sent: string[] = [];
    for (const [name, value] of headers) sent.push(name, value);
    const answer = await dispatcher.request({ origin: url.origin, path: url.pathname + url.search, method: method as Dispatcher.HttpMethod, headers: sent, body, signal: abort });
    const pairs: HeaderPairs = [];
    for (const name in answer.headers) {
      const value = answer.headers[name];
      if (Array.isArray(value)) for (const one of value) pairs.push([name, one]);
      else if (value !== undefined) pairs.push([name, value]);
    }
    return {
      status: answer.statusCode,
      headers: pairs,
      body: answer.body,
      discard: () => void answer.body.dump().catch(() => undefined),
    };
  };
}
