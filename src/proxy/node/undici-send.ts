import type { Dispatcher } from 'undici';
import type { UpstreamSend } from '../core/upstream.js';
import type { BodySource } from './body-source.js';
import type { NodeAbort } from './node-abort.js';
import { UpstreamCall } from './upstream-call.js';

/** Sends hops through undici's dispatcher API on Node buffers: no web streams, no Request objects, no Readable. */
export function undiciSend(dispatcher: Dispatcher): UpstreamSend<Buffer, BodySource, NodeAbort> {
  return ({ url, method, headers, body, abort }) => {
    const sent: string[] = [];
    for (const [name, value] of headers) sent.push(name, value);
    const call = new UpstreamCall(abort);
    dispatcher.dispatch({ origin: url.origin, path: url.pathname + url.search, method: method as Dispatcher.HttpMethod, headers: sent, body }, call);
    return call.answer;
  };
}
