import type { DoctorRequest } from '../../../src/doctor/index.js';

/** The header that makes a POST or PUT preflighted. */
export const JSON_TYPE = { 'content-type': 'application/json' };

/**
 * The lab scenarios the CORS doctor must diagnose (demo/lab, README "The CORS lab"), in one place
 * for the engine's test (doctor.test.ts) and the command line's (cli.test.ts).
 */

/** A scenario the browser lets through: the lab path, the request, how many request steps (redirect hops) pass. */
export type OkScenario = readonly [path: string, request: Partial<DoctorRequest>, requestSteps: number];

export const OK_SCENARIOS: readonly OkScenario[] = [
  ['/cors', {}, 1],
  ['/cors-redirect', {}, 2],
  ['/assets/pixel.png?cors=1', {}, 1],
  ['/wildcard-credentials', { credentials: 'omit' }, 1],
];

/** A scenario the browser blocks: the lab path, the request, the reason, the fix, and what reaches the lab ("METHOD /path"). */
export type FailingScenario = [path: string, request: Partial<DoctorRequest>, reason: string, fix: string, sent: string[]];

/** Seed 000's and 004's failing scenarios and the lab's CORS mistakes, for a page on `app`. */
export function failingScenarios(app: string): FailingScenario[] {
  return [
    // seed 000
    ['/no-cors', {}, 'CORSMissingAllowOrigin', `send Access-Control-Allow-Origin: ${app} on the answer to GET /no-cors`, ['GET /no-cors']],
    [
      '/no-cors-redirect',
      {},
      'CORSMissingAllowOrigin',
      `send Access-Control-Allow-Origin: ${app} on the answer to GET /no-cors-redirect (a 302 redirect: every hop of a redirect chain is checked)`,
      ['GET /no-cors-redirect'],
    ],
    ['/assets/pixel.png', {}, 'CORSMissingAllowOrigin', `send Access-Control-Allow-Origin: ${app} on the answer to GET /assets/pixel.png`, ['GET /assets/pixel.png']],
    // seed 004
    [
      '/preflight-405',
      { method: 'POST', headers: JSON_TYPE, body: '{}' },
      'CORSPreflightDidNotSucceed',
      `answer OPTIONS /preflight-405 with 204 (not 405), Access-Control-Allow-Origin: ${app}, Access-Control-Allow-Headers: content-type`,
      ['OPTIONS /preflight-405'],
    ],
    [
      '/preflight-401',
      { headers: { authorization: 'Bearer demo' } },
      'CORSPreflightDidNotSucceed',
      'answer OPTIONS /preflight-401 with 204 (not 401), Access-Control-Allow-Headers: authorization, without asking for credentials: a preflight never carries Authorization or cookies, so authenticate the actual request only',
      ['OPTIONS /preflight-401'],
    ],
    [
      '/missing-allow-headers',
      { method: 'POST', headers: JSON_TYPE, body: '{}' },
      'CORSMissingAllowHeaderFromPreflight',
      'answer OPTIONS /missing-allow-headers with Access-Control-Allow-Headers: content-type',
      ['OPTIONS /missing-allow-headers'],
    ],
    [
      '/beacon',
      { method: 'POST', headers: JSON_TYPE, body: '{"event":"x"}' },
      'CORSPreflightDidNotSucceed',
      `answer OPTIONS /beacon with 204 (not 405), Access-Control-Allow-Origin: ${app}, Access-Control-Allow-Headers: content-type`,
      ['OPTIONS /beacon'],
    ],
    // the lab's mistakes
    [
      '/wrong-allow-origin',
      {},
      'CORSAllowOriginNotMatchingOrigin',
      `send Access-Control-Allow-Origin: ${app} on the answer to GET /wrong-allow-origin`,
      ['GET /wrong-allow-origin'],
    ],
    [
      '/wildcard-credentials',
      { credentials: 'include' },
      'CORSNotSupportingCredentials',
      `send Access-Control-Allow-Origin: ${app} on the answer to GET /wildcard-credentials`,
      ['GET /wildcard-credentials'],
    ],
    [
      '/two-allow-origins',
      {},
      'CORSMultipleAllowOriginNotAllowed',
      `send Access-Control-Allow-Origin: ${app} on the answer to GET /two-allow-origins`,
      ['GET /two-allow-origins'],
    ],
    [
      '/missing-allow-methods',
      { method: 'PUT', headers: JSON_TYPE, body: '{}' },
      'CORSMethodNotFound',
      'answer OPTIONS /missing-allow-methods with Access-Control-Allow-Methods: PUT',
      ['OPTIONS /missing-allow-methods'],
    ],
    [
      '/preflight-redirect',
      { method: 'PUT', headers: JSON_TYPE, body: '{}' },
      'CORSExternalRedirectNotAllowed',
      'answer OPTIONS /preflight-redirect itself, without redirecting (a preflight never follows a redirect), with 204 (not 302), Access-Control-Allow-Methods: PUT, Access-Control-Allow-Headers: content-type',
      ['OPTIONS /preflight-redirect'],
    ],
    [
      '/unexposed-header',
      { read: ['X-Request-Id', 'Content-Type'] },
      'HeaderNotExposed',
      'send Access-Control-Expose-Headers: X-Trace, x-request-id on the answer to GET /unexposed-header',
      ['GET /unexposed-header'],
    ],
    [
      '/cors',
      { credentials: 'include' },
      'CORSMIssingAllowCredentials',
      'send Access-Control-Allow-Credentials: true on the answer to GET /cors',
      ['GET /cors'],
    ],
  ];
}
