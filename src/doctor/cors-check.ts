import type { CheckFailure } from './check-failure.js';

/**
 * Fetch's CORS check of one response, with every failing part (not only the first), so that the
 * fix names all the headers at once. `origin` is the request's serialized origin: the page's, or
 * "null" once a redirect has tainted it.
 */
export function corsCheckFailures(headers: Headers, origin: string, credentialed: boolean): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const allowOrigin = headers.get('access-control-allow-origin');
  const grant = `Access-Control-Allow-Origin: ${origin}`;
  if (allowOrigin === null) {
    failures.push({ reason: 'CORSMissingAllowOrigin', message: 'the answer has no Access-Control-Allow-Origin', needs: [grant] });
  } else if (allowOrigin.includes(',')) {
    // A Headers object joins repeated fields with ", ": the value can never equal one origin.
    failures.push({
      reason: 'CORSMultipleAllowOriginNotAllowed',
      message: `Access-Control-Allow-Origin carries several values (${allowOrigin}); it must be exactly one`,
      needs: [grant],
    });
  } else if (allowOrigin === '*' && credentialed) {
    failures.push({
      reason: 'CORSNotSupportingCredentials',
      message: "Access-Control-Allow-Origin is * but the request is credentialed (credentials: 'include'), and * never admits credentials",
      needs: [grant],
    });
  } else if (allowOrigin !== '*' && allowOrigin !== origin) {
    failures.push({
      reason: 'CORSAllowOriginNotMatchingOrigin',
      message: `Access-Control-Allow-Origin is "${allowOrigin}", the request's origin is "${origin}" (compared byte for byte)`,
      needs: [grant],
    });
  }
  const allowCredentials = headers.get('access-control-allow-credentials');
  if (credentialed && allowCredentials !== 'true') {
    failures.push({
      reason: 'CORSMIssingAllowCredentials',
      message: `the request is credentialed and Access-Control-Allow-Credentials is ${allowCredentials === null ? 'missing' : `"${allowCredentials}"`}, not "true"`,
      needs: ['Access-Control-Allow-Credentials: true'],
    });
  }
  return failures;
}
