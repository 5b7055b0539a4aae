import type { CorsVerdict } from '../../knowledge/cors-fact.js';

/**
 * How auto answers a request: `cors`, fetched in cors mode (readable when the origin grants CORS);
 * `proxy`, through the app's crossroute/proxy (readable, same-origin); `no-cors`, as the page made
 * it (opaque); `network`, as is, for what auto does not route (navigations, same-origin mode).
 */
export type AutoRoute = 'cors' | 'proxy' | 'no-cors' | 'network';

/** The route, why, and what follows when a cors attempt fails. */
export interface RouteChoice {
  route: AutoRoute;
  why: string;
  /**
   * After a failed cors attempt: the proxy or the request as made (both safe to send again, and
   * their answer shows whether the origin answered), or `probe`: a no-cors HEAD tells a refusal
   * from an outage and the request is not sent again. Absent: the failure is the answer.
   */
  then?: 'proxy' | 'no-cors' | 'probe';
}

/** What chooseRoute needs to know of a request. */
export interface RouteInput {
  mode: RequestMode;
  method: string;
  /** What the CORS knowledge says of the origin for this request's case. */
  verdict: CorsVerdict;
  /** A proxyPath is configured. */
  proxy: boolean;
}

/**
 * The fewest requests that give the page what it asked for: readable where the origin grants CORS
 * or a proxy can make it so, opaque only for a no-cors request with no readable route, and never
 * an opaque answer to a cors-mode request (the page would get a TypeError). A request that may
 * change something (not GET or HEAD) is never sent twice: after a failed cors attempt it may
 * already have reached the server.
 */
export function chooseRoute({ mode, method, verdict, proxy }: RouteInput): RouteChoice {
  if (mode !== 'cors' && mode !== 'no-cors') return { route: 'network', why: `a ${mode} request is not routed` };
  const safe = method === 'GET' || method === 'HEAD';
  if (verdict === 'refused') {
    if (proxy) return { route: 'proxy', why: 'the origin refuses CORS' };
    if (mode === 'no-cors') return { route: 'no-cors', why: 'the origin refuses CORS and no proxyPath is set: opaque is the only route' };
    return { route: 'cors', why: 'the origin refuses CORS and no proxyPath is set: sent as asked, it will fail the CORS check' };
  }
  if (mode === 'no-cors' && !safe) return { route: 'no-cors', why: `a no-cors ${method} is sent once, as made: a cors attempt that fails may already have reached the server` };
  const why = verdict === 'granted' ? 'the origin grants CORS' : 'CORS unknown for the origin: this request probes it';
  if (!safe) return { route: 'cors', why, then: 'probe' };
  return { route: 'cors', why, then: proxy ? 'proxy' : mode === 'no-cors' ? 'no-cors' : 'probe' };
}
