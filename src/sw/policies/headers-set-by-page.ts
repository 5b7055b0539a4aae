import { isForbiddenRequestHeader } from '../../fetch-spec/index.js';

/**
 * The headers the page set on a request. The worker also sees some the browser adds itself:
 * Chromium shows its default User-Agent (added after the CORS check, so it never causes a
 * preflight), and forbidden ones such as Origin, which the browser sets again on the worker's own
 * request.
 */
export function headersSetByPage(request: Request): Array<[string, string]> {
  return [...request.headers].filter(
    ([name, value]) => (name !== 'user-agent' || value !== self.navigator.userAgent) && !isForbiddenRequestHeader(name, value),
  );
}
