/**
 * Why a network response is not stored; undefined when it may be. Only 2xx readable responses, and
 * opaque ones (whose status nobody can see: the TTL bounds them). A cors-mode request cannot get an
 * opaque response from fetchForCache, so its cache never holds one.
 */
export function whyNotStored(response: Response): string | undefined {
  if (response.type === 'opaque') return undefined;
  if (response.type === 'opaqueredirect') return 'a redirect answered as is (opaqueredirect) is not stored';
  if (response.status === 206) return 'a partial response (206) is not stored';
  if (response.status < 200 || response.status > 299) return `status ${response.status} is not stored (only 2xx)`;
  return undefined;
}
