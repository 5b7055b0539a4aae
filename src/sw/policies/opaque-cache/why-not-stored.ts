/**
 * Vary names an entry may ignore: the same on every request this app's pages make to one URL
 * (Origin, Accept-Encoding), or fetch metadata, which crossroute/proxy adds so that the browser's
 * HTTP cache never renders a fetched answer as a document. A proxied answer is kept under the
 * target's URL, another site's, whose navigations this worker never sees; which mode an entry may
 * answer is checked by the policy itself.
 */
const SAME_FOR_EVERY_REQUEST = new Set(['origin', 'accept-encoding', 'sec-fetch-dest', 'sec-fetch-mode']);

/** Lower-cased names of a comma-separated field's items (`max-age=60, private` → max-age, private). */
function names(value: string | null): string[] {
  return (value ?? '').split(',').map((item) => item.split('=', 1)[0]!.trim().toLowerCase()).filter((name) => name !== '');
}

/**
 * Why a network response is not stored; undefined when it may be. Only 2xx readable responses, and
 * opaque ones (whose status nobody can see: the TTL bounds them). A cors-mode request cannot get an
 * opaque response from fetchForCache, so its cache never holds one. Entries are keyed by URL alone,
 * so an answer meant for one user (no-store, private, a Vary on a request header, an Authorization)
 * is never stored, or it would answer the next user.
 */
export function whyNotStored(response: Response, request: Request): string | undefined {
  if (response.type === 'opaque') return undefined;
  if (response.type === 'opaqueredirect') return 'a redirect answered as is (opaqueredirect) is not stored';
  if (response.status === 206) return 'a partial response (206) is not stored';
  if (response.status < 200 || response.status > 299) return `status ${response.status} is not stored (only 2xx)`;
  const cacheControl = names(response.headers.get('cache-control'));
  const forbidding = ['no-store', 'private'].find((directive) => cacheControl.includes(directive));
  if (forbidding) return `Cache-Control: ${forbidding} is not stored`;
  const vary = names(response.headers.get('vary')).filter((name) => !SAME_FOR_EVERY_REQUEST.has(name));
  if (vary.length > 0) return `Vary: ${vary.join(', ')} is not stored: entries are keyed by URL alone, and would answer requests that differ there`;
  // CORS hides Vary from the worker (it is no safelisted response header), so an answer that depends
  // on who asks cannot be told from one that does not.
  if (request.headers.has('authorization')) return 'an answer to a request with Authorization is not stored: entries are keyed by URL alone, and would answer other users';
  return undefined;
}
