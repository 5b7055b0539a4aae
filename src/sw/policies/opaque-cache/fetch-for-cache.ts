/**
 * The network answer for a request, in the request's own mode: a cors-mode request never turns
 * into a no-cors one, so it can never get an opaque response. With `corsCheck`, a no-cors request is
 * first tried in cors mode without credentials (see OpaqueCacheOptions.corsCheck). `init` is the
 * rule's fetchOptions, which never change the mode.
 */
export async function fetchForCache(request: Request, corsCheck: boolean, init: RequestInit): Promise<Response> {
  if (corsCheck && request.mode === 'no-cors') {
    try {
      return await fetch(new Request(request, { ...init, mode: 'cors', credentials: 'same-origin' }));
    } catch {
      // The origin refused CORS, or the network failed: the request as the page made it decides.
    }
  }
  return fetch(Object.keys(init).length === 0 ? request : new Request(request, init));
}
