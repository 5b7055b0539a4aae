import { fetch as undiciFetch, type Dispatcher } from 'undici';
import type { FetchFunction } from '../core/fetch-send.js';

/** undici's fetch through one dispatcher: every connection it opens is that dispatcher's (the guarded one). */
export function agentFetch(dispatcher: Dispatcher): FetchFunction {
  // undici's own fetch types describe the same web classes Node's globals do.
  return ((url, init) => undiciFetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>) as FetchFunction;
}
