import { originOf } from '../../../fetch-spec/index.js';

/**
 * The answer to a cors-mode request whose origin does not allow CORS: a readable 502 that says so,
 * rather than the bare TypeError an opaque answer would cause.
 */
export function corsUnavailable(rule: { index: number; name: string }, url: string): Response {
  return Response.json(
    {
      error: 'crossroute-cors-unavailable',
      rule: rule.index,
      name: rule.name,
      reason:
        `${originOf(url)} does not allow CORS for ${url}, and an opaque response can never answer a cors-mode request. ` +
        `Load it in no-cors mode (no crossorigin attribute, fetch mode "no-cors"), or read it through crossroute/proxy: corsFallback: "proxy" on rule "${rule.name}".`,
    },
    // Browsers print the status text beside the status ("502 (…)"): the one place a developer looks first.
    { status: 502, statusText: 'No CORS: set corsFallback "proxy"', headers: { 'x-crossroute-rule': String(rule.index) } },
  );
}
