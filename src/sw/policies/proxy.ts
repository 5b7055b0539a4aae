import { OptionsReader } from './options.js';
import type { Policy, PolicyFactory } from '../contract/policy.js';
import { bodyNote } from './proxy/body-note.js';
import { followBody } from './proxy/follow-body.js';
import { checkProxyPath } from './proxy/check-proxy-path.js';
import { proxyNote } from './proxy/proxy-note.js';
import { readLimits } from './proxy/proxy-limits.js';
import { readableHeaders } from './proxy/readable-headers.js';
import { recordedCut } from './proxy/recorded-cut.js';

/** Options of the `proxy` policy. */
export interface ProxyPolicyOptions {
  /** Same-origin path where the app mounts crossroute/proxy; default "/__proxy". */
  proxyPath?: string;
  /**
   * "rewrite" (default): the worker fetches `<proxyPath>?url=<target>` itself and answers the page
   * with that same-origin response, readable in any request mode. "redirect": the worker answers
   * with a 307 to it and the browser fetches it; the request stays CORS-tainted, so the proxy sees
   * `Origin: null` and must admit "null" in its appOrigins (see the README).
   */
  mode?: 'rewrite' | 'redirect';
  /**
   * Credentials of the worker's request to the proxy (rewrite mode): "same-origin" (default) lets
   * the app's own auth guard its proxy; the proxy never forwards the app's cookies to targets.
   */
  credentials?: 'omit' | 'same-origin';
}

/**
 * Reads a target that sends no CORS headers through the app's own origin: one rule here, one
 * mount of crossroute/proxy on the server. Navigations are never proxied: the target would
 * become a document of the app's origin. If the proxy cannot be reached, the policy fails and the
 * request goes to the network untouched (fail open).
 */
export const proxy: PolicyFactory<ProxyPolicyOptions, Required<ProxyPolicyOptions>> = {
  name: 'proxy',
  validate(options, field) {
    const read = new OptionsReader(options, field);
    const validated = {
      proxyPath: read.string('proxyPath', '/__proxy'),
      mode: read.oneOf<'rewrite' | 'redirect'>('mode', 'rewrite', ['rewrite', 'redirect']),
      credentials: read.oneOf<'omit' | 'same-origin'>('credentials', 'same-origin', ['omit', 'same-origin']),
    };
    read.done();
    checkProxyPath(validated.proxyPath, `${field}.proxyPath`);
    return validated;
  },
  create({ proxyPath, mode, credentials }): Policy {
    return {
      async handle({ request, params: { note, noteLater } }) {
        if (request.mode === 'navigate') throw new Error('the proxy policy does not answer navigations (the target would become a document of the app); sent to the network');
        const endpoint = new URL(proxyPath, self.location.origin);
        if (request.url.startsWith(endpoint.href)) throw new Error(`the request is for the proxy itself (${proxyPath}); a rule matched it by mistake`);
        endpoint.searchParams.set('url', request.url);
        if (mode === 'redirect') {
          note({ kind: 'proxy-redirect', detail: `answered with a 307 to ${proxyPath}; the browser fetches the target through it` });
          // WebKit runs a CORS check on the worker's own redirect of a cors-mode request (the Fetch
          // Standard does not) and fails it without these; Chromium and Firefox ignore them.
          const headers = new Headers({ location: endpoint.href, 'access-control-allow-origin': self.location.origin });
          if (request.credentials === 'include') headers.set('access-control-allow-credentials', 'true');
          return new Response(null, { status: 307, headers });
        }
        const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
        // Bytes, not a stream: browsers upload a stream body only over HTTP/2 or later.
        const response = await fetch(endpoint, {
          method: request.method,
          headers: request.headers,
          body: hasBody ? await request.blob() : null,
          mode: 'same-origin',
          credentials,
          signal: request.signal,
        });
        const noted = await proxyNote(response, proxyPath);
        note(noted);
        const limits = readLimits(response.headers.get('x-crossroute-limits'));
        if (noted.kind !== undefined || !limits || !response.body || !noteLater) return response;
        // The proxy can only cut a body after its status went out: the outcome waits for the body's end.
        const length = response.headers.get('content-length');
        const { body, ended } = followBody(response.body, limits, length === null ? undefined : Number(length));
        const exchange = response.headers.get('x-crossroute-exchange');
        noteLater(ended.then(async (end) => bodyNote(end.end === 'cut' && exchange ? await recordedCut(end, endpoint, exchange, credentials) : end)));
        return new Response(body, { status: response.status, statusText: response.statusText, headers: readableHeaders(response.headers) });
      },
    };
  },
};
