import { FetchSpecError } from './errors.js';
import { isHttpToken } from './http-syntax.js';

/** The methods a CORS simple request may use. */
export const CORS_SAFELISTED_METHODS = ['GET', 'HEAD', 'POST'] as const;
/** GET, HEAD or POST. */
export type CorsSafelistedMethod = (typeof CORS_SAFELISTED_METHODS)[number];

// Only these are upper-cased by fetch; `patch` stays `patch` (and usually earns a 405).
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** Fetch "normalize a method": byte-uppercase DELETE, GET, HEAD, OPTIONS, POST, PUT only. */
export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

/** Case-sensitive, as in the spec: normalize first (`get` is not safelisted, `GET` is). */
export function isCorsSafelistedMethod(method: string): method is CorsSafelistedMethod {
  return (CORS_SAFELISTED_METHODS as readonly string[]).includes(method);
}

/** CONNECT, TRACE, TRACK, byte-case-insensitive. */
export function isForbiddenMethod(method: string): boolean {
  return FORBIDDEN_METHODS.has(method.toUpperCase());
}

/** What the Request constructor does with init.method: validate, then normalize. */
export function toRequestMethod(method: string): string {
  if (!isHttpToken(method)) {
    throw new FetchSpecError(
      'invalid-method',
      `method "${method}" is not an HTTP token: use a method name such as GET, POST or PUT`,
    );
  }
  if (isForbiddenMethod(method)) {
    throw new FetchSpecError(
      'forbidden-method',
      `method ${method} is a forbidden method (CONNECT, TRACE, TRACK): fetch() refuses it, use another method`,
    );
  }
  return normalizeMethod(method);
}
