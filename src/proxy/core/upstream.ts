import type { ExchangeAbort } from './exchange-abort.js';
import type { HeaderPairs } from './proxy-input.js';

/** One request to a target, as the runtime shell sends it. Redirects are not followed by the shell. */
export interface UpstreamHop<Body, Abort extends ExchangeAbort> {
  url: URL;
  method: string;
  headers: HeaderPairs;
  /** The whole request body as bytes (so a 307/308 can send it again), or null. */
  body: Body | null;
  /** The exchange's abort, in the shell's own form: the send listens to it. */
  abort: Abort;
}

/** A target's answer, before anything is passed back. */
export interface UpstreamAnswer<Body> {
  status: number;
  /** Lower-case names. */
  headers: HeaderPairs;
  /** The whole request body as bytes (so a 307/308 can send it again), or null. */
  body: Body | null;
  /** Releases an answer that will not be passed back (a redirect's body). */
  discard(): void;
}

/** How a runtime shell reaches targets: node:http streams through undici, web streams through a fetch. */
export type UpstreamSend<RequestBody, ResponseBody, Abort extends ExchangeAbort> = (hop: UpstreamHop<RequestBody, Abort>) => Promise<UpstreamAnswer<ResponseBody>>;
