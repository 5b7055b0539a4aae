import { explainRequest } from '../../fetch-spec/index.js';
import { messageOf } from '../errors.js';
import type { Policy, PolicyFactory } from './policy.js';
import { OptionsReader } from './options.js';

export interface CorsOptions {
  /**
   * Credentials of the cors-mode request; default "same-origin" (no cookies to other origins),
   * because "include" also needs Access-Control-Allow-Credentials from the origin.
   */
  credentials?: RequestCredentials;
  /**
   * When the cors fetch fails, tell a CORS refusal from an outage by a no-cors HEAD of the same URL
   * (HEAD is safe: it repeats no effect of the original request, whatever its method); default true.
   */
  probe?: boolean;
}

/**
 * Fetches in cors mode, so the page gets a readable response or a clear failure, and the outcome
 * says which failure: the origin refused CORS (or its preflight), or the network failed.
 */
export const cors: PolicyFactory<Required<CorsOptions>> = {
  validate(options, field) {
    const read = new OptionsReader(options, field);
    const validated = {
      credentials: read.oneOf<RequestCredentials>('credentials', 'same-origin', ['omit', 'same-origin', 'include']),
      probe: read.boolean('probe', true),
    };
    read.done();
    return validated;
  },
  create({ credentials, probe }): Policy {
    return {
      async handle({ request, params: { note } }) {
        const explanation = explainRequest({ url: request.url, method: request.method, headers: headersSetByPage(request), mode: 'cors' }, self.location.origin);
        try {
          return await fetch(new Request(request, { mode: 'cors', credentials }));
        } catch (error) {
          const reachable = probe ? await answersNoCors(request.url) : undefined;
          const why = explanation.preflight
            ? `preflighted (${explanation.reasons.map((r) => r.message).join('; ')})`
            : 'a CORS simple request (no preflight)';
          if (reachable) {
            note({ kind: 'cors-blocked', detail: `the origin answered but refused CORS; the request was ${why}` });
          } else {
            note({
              kind: 'network-error',
              detail: `${messageOf(error)}; ${reachable === false ? 'the origin is unreachable' : 'CORS refusal or network failure (not probed)'}; the request was ${why}`,
            });
          }
          return Response.error();
        }
      },
    };
  },
};

/**
 * Chromium shows the worker its default User-Agent among the request's headers, but the browser adds
 * that after the CORS check: only a User-Agent the page set itself can cause a preflight.
 */
function headersSetByPage(request: Request): Array<[string, string]> {
  return [...request.headers].filter(([name, value]) => name !== 'user-agent' || value !== self.navigator.userAgent);
}

async function answersNoCors(url: string): Promise<boolean> {
  try {
    await fetch(url, { method: 'HEAD', mode: 'no-cors', credentials: 'omit', cache: 'no-store' });
    return true;
  } catch {
    return false;
  }
}
