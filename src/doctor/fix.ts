import type { CheckFailure } from './check-failure.js';

/** "the answer to OPTIONS /x" with everything it must carry, in one sentence a server owner can act on. */
export function preflightFix(target: string, status: number, failures: readonly CheckFailure[]): string {
  const needs = failures.flatMap((failure) => failure.needs);
  const redirected = failures.some((failure) => failure.reason === 'CORSExternalRedirectNotAllowed');
  const badStatus = redirected || failures.some((failure) => failure.reason === 'CORSPreflightDidNotSucceed');
  const parts: string[] = [];
  if (badStatus) parts.push(`204 (not ${status})`);
  parts.push(...needs);
  let fix = `answer OPTIONS ${target}${redirected ? ' itself, without redirecting (a preflight never follows a redirect),' : ''} with ${parts.join(', ')}`;
  if (status === 401 || status === 403) {
    fix += `, without asking for credentials: a preflight never carries Authorization or cookies, so authenticate the actual request only`;
  }
  return fix;
}

/** The headers the answer to one hop of the actual request must carry. */
export function responseFix(method: string, target: string, status: number, redirect: boolean, failures: readonly CheckFailure[]): string {
  const needs = failures.flatMap((failure) => failure.needs);
  const hop = redirect ? ` (a ${status} redirect: every hop of a redirect chain is checked)` : '';
  return `send ${needs.join(' and ')} on the answer to ${method} ${target}${hop}`;
}

/** After a cross-origin redirect the request's origin is null: headers on a server the page does not call directly rarely fix it. */
export function taintedFix(method: string, target: string, credentialed: boolean): string {
  const direct = `have the page request ${target} directly`;
  if (credentialed) {
    return `${direct}: after a redirect to another origin the request's origin is "null", and a credentialed request would need Access-Control-Allow-Origin: null, which every sandboxed page also matches`;
  }
  return `send Access-Control-Allow-Origin: * on the answer to ${method} ${target} (after a redirect to another origin the request's origin is "null"), or ${direct}`;
}
