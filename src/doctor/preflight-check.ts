import { isCorsSafelistedMethod } from '../fetch-spec/index.js';
import type { CheckFailure } from './check-failure.js';
import type { CorsReason } from './reasons.js';
import { corsCheckFailures } from './cors-check.js';
import { parseTokenList } from './header-list-values.js';

export interface PreflightedRequest {
  readonly method: string;
  /** Lower-case, sorted: what Access-Control-Request-Headers carried. */
  readonly unsafeNames: readonly string[];
  readonly origin: string;
  readonly credentialed: boolean;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export function isRedirectStatus(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

/** The tokens of a grant list, or the failure of a list holding something that is not a token (the browser refuses it whole). */
function grantList(headers: Headers, field: string, reason: CorsReason, requested: readonly string[]): string[] | CheckFailure {
  const parsed = parseTokenList(headers.get(field));
  if ('tokens' in parsed) return parsed.tokens;
  return { reason, message: `${field} holds "${parsed.invalid}", which is not a token`, needs: requested.length > 0 ? [`${field}: ${requested.join(', ')}`] : [] };
}

/** The methods check: a safelisted method needs no grant; `*` grants any other only without credentials. */
function methodFailure(headers: Headers, request: PreflightedRequest): CheckFailure | undefined {
  const tokens = grantList(headers, 'Access-Control-Allow-Methods', 'CORSInvalidAllowMethod', [request.method]);
  if (!Array.isArray(tokens)) return tokens;
  const granted = isCorsSafelistedMethod(request.method) || tokens.includes(request.method) || (tokens.includes('*') && !request.credentialed);
  if (granted) return undefined;
  const wildcardOnly = tokens.includes('*') ? ' (* does not count for a credentialed request)' : '';
  return {
    reason: 'CORSMethodNotFound',
    message: `${request.method} is not in Access-Control-Allow-Methods (${tokens.length > 0 ? tokens.join(', ') : 'missing'})${wildcardOnly}`,
    needs: [`Access-Control-Allow-Methods: ${[...tokens.filter((token) => token !== '*'), request.method].join(', ')}`],
  };
}

/** The headers check: `*` grants every name but Authorization, and only without credentials. */
function headersFailure(headers: Headers, request: PreflightedRequest): CheckFailure | undefined {
  const tokens = grantList(headers, 'Access-Control-Allow-Headers', 'CORSInvalidAllowHeader', request.unsafeNames);
  if (!Array.isArray(tokens)) return tokens;
  const allowed = new Set(tokens.map((token) => token.toLowerCase()));
  const wildcard = allowed.has('*') && !request.credentialed;
  const missing = request.unsafeNames.filter((name) => !allowed.has(name) && !(wildcard && name !== 'authorization'));
  if (missing.length === 0) return undefined;
  return {
    reason: 'CORSMissingAllowHeaderFromPreflight',
    message: `Access-Control-Allow-Headers (${tokens.length > 0 ? tokens.join(', ') : 'missing'}) does not grant ${missing.join(', ')}${
      allowed.has('*') ? ' (* never grants Authorization, and grants nothing to a credentialed request)' : ''
    }`,
    needs: [`Access-Control-Allow-Headers: ${[...tokens.filter((token) => token !== '*'), ...missing].join(', ')}`],
  };
}

/**
 * Every failing check of a preflight's answer, in the order browsers report them (Firefox: the
 * status, then the CORS check, then methods, then headers); the first is the reason.
 */
export function preflightFailures(status: number, headers: Headers, request: PreflightedRequest): CheckFailure[] {
  const failures: CheckFailure[] = [];
  if (isRedirectStatus(status)) {
    failures.push({
      reason: 'CORSExternalRedirectNotAllowed',
      message: `the preflight was answered by a ${status} redirect to ${headers.get('location') ?? '(no Location)'}, and a preflight never follows a redirect`,
      needs: [],
    });
  } else if (status < 200 || status > 299) {
    failures.push({
      reason: 'CORSPreflightDidNotSucceed',
      message: `the preflight was answered ${status}; it must be a 2xx (an ok status)`,
      needs: [],
    });
  }
  failures.push(...corsCheckFailures(headers, request.origin, request.credentialed));
  const method = methodFailure(headers, request);
  if (method) failures.push(method);
  const names = headersFailure(headers, request);
  if (names) failures.push(names);
  return failures;
}
