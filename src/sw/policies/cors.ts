import { explainRequest } from '../../fetch-spec/index.js';
import { messageOf } from '../errors.js';
import { corsKnowledge } from '../knowledge/cors-knowledge.js';
import { originAnswers } from '../network/origin-answers.js';
import type { Policy, PolicyFactory } from '../contract/policy.js';
import { corsCaseOf } from './cors-case.js';
import { OptionsReader } from './options.js';
import { headersSetByPage } from './headers-set-by-page.js';
import { askDiagnosis } from './proxy/ask-diagnosis.js';
import { diagnoseOption } from './proxy/diagnose-option.js';

/** Options of the `cors` policy. */
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
  /**
   * When the origin refuses CORS, ask crossroute's proxy why (the CORS doctor, run by the proxy
   * under its allowlist): the outcome gets `reason` and `fix`, written once the diagnosis returns
   * (the page's answer does not wait). true asks the proxy at "/__proxy", a string at that path;
   * default false (a diagnosis sends the target a preflight and a GET or HEAD from the server).
   */
  diagnose?: boolean | string;
}

/** CorsOptions validated: defaults filled in, `diagnose` as the proxy path or false. */
interface CorsConfig extends Required<Omit<CorsOptions, 'diagnose'>> {
  diagnose: string | false;
}

/**
 * Fetches in cors mode, so the page gets a readable response or a clear failure, and the outcome
 * says which failure: the origin refused CORS (or its preflight), or the network failed. What the
 * answer shows of the origin (granted, refused) goes to the worker's CORS knowledge, where the
 * other policies read it; an outage teaches nothing.
 */
export const cors: PolicyFactory<CorsOptions, CorsConfig> = {
  name: 'cors',
  validate(options, field) {
    const read = new OptionsReader(options, field);
    const validated = {
      credentials: read.oneOf<RequestCredentials>('credentials', 'same-origin', ['omit', 'same-origin', 'include']),
      probe: read.boolean('probe', true),
      diagnose: diagnoseOption(read.raw('diagnose'), `${field}.diagnose`),
    };
    read.done();
    return validated;
  },
  create({ credentials, probe, diagnose }): Policy {
    return {
      async handle({ request, event, params: { note, noteLater } }) {
        const learn = (granted: boolean): void => event.waitUntil(corsKnowledge().learn(new URL(request.url).origin, corsCaseOf(request, credentials), granted));
        let response: Response;
        try {
          response = await fetch(new Request(request, { mode: 'cors', credentials }));
        } catch (error) {
          // Worked out only on failure: the explanation is for the outcome's detail.
          const explanation = explainRequest({ url: request.url, method: request.method, headers: headersSetByPage(request), mode: 'cors' }, self.location.origin);
          const reachable = probe ? await originAnswers(request.url) : undefined;
          const why = explanation.preflight
            ? `preflighted (${explanation.reasons.map((r) => r.message).join('; ')})`
            : 'a CORS simple request (no preflight)';
          if (reachable) {
            const detail = `the origin answered but refused CORS; the request was ${why}`;
            note({ kind: 'cors-blocked', detail });
            learn(false);
            if (diagnose) noteLater?.(askDiagnosis(diagnose, request, credentials));
          } else {
            note({
              kind: 'network-error',
              detail: `${messageOf(error)}; ${reachable === false ? 'the origin is unreachable' : 'CORS refusal or network failure (not probed)'}; the request was ${why}`,
            });
          }
          return Response.error();
        }
        // After the try: a failure here is not the fetch's, never reported as a CORS refusal.
        learn(true);
        return response;
      },
    };
  },
};
