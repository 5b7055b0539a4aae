/**
 * Why a browser refuses a CORS request, named as MDN's list of CORS error reasons names them (the
 * codes Firefox's console prints; MDN's English page spells one "CORSMIssingAllowCredentials").
 * `HeaderNotExposed` is crossroute's: the request succeeds, but a header the page reads is null.
 */
export type CorsReason =
  | 'CORSDidNotSucceed'
  | 'CORSRequestNotHttp'
  | 'CORSExternalRedirectNotAllowed'
  | 'CORSPreflightDidNotSucceed'
  | 'CORSMissingAllowOrigin'
  | 'CORSMultipleAllowOriginNotAllowed'
  | 'CORSNotSupportingCredentials'
  | 'CORSAllowOriginNotMatchingOrigin'
  | 'CORSMIssingAllowCredentials'
  | 'CORSInvalidAllowMethod'
  | 'CORSMethodNotFound'
  | 'CORSInvalidAllowHeader'
  | 'CORSMissingAllowHeaderFromPreflight'
  | 'HeaderNotExposed';

/** The reason as the browser's console words it (Firefox's text, as MDN lists it). */
export const REASON_TEXT: Readonly<Record<CorsReason, string>> = {
  CORSDidNotSucceed: 'CORS request did not succeed',
  CORSRequestNotHttp: 'CORS request not http',
  CORSExternalRedirectNotAllowed: 'CORS request external redirect not allowed',
  CORSPreflightDidNotSucceed: 'CORS preflight response did not succeed',
  CORSMissingAllowOrigin: "CORS header 'Access-Control-Allow-Origin' missing",
  CORSMultipleAllowOriginNotAllowed: "Multiple CORS header 'Access-Control-Allow-Origin' not allowed",
  CORSNotSupportingCredentials: "Credential is not supported if the CORS header 'Access-Control-Allow-Origin' is '*'",
  CORSAllowOriginNotMatchingOrigin: "CORS header 'Access-Control-Allow-Origin' does not match",
  CORSMIssingAllowCredentials: "expected 'true' in CORS header 'Access-Control-Allow-Credentials'",
  CORSInvalidAllowMethod: "invalid token in CORS header 'Access-Control-Allow-Methods'",
  CORSMethodNotFound: "Did not find method in CORS header 'Access-Control-Allow-Methods'",
  CORSInvalidAllowHeader: "invalid token in CORS header 'Access-Control-Allow-Headers'",
  CORSMissingAllowHeaderFromPreflight: "missing token in CORS header 'Access-Control-Allow-Headers' from CORS preflight channel",
  HeaderNotExposed: "the response header is not listed in 'Access-Control-Expose-Headers': the page reads null",
};
