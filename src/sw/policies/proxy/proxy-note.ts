import type { OutcomeNote } from '../../contract/policy.js';

/**
 * What the outcome says about an answer from crossroute's proxy: the proxy's status (the
 * response's), the target's status and final URL from the proxy's x-crossroute-* headers, or the
 * proxy's own refusal (`{ error, reason }`) when no target answered.
 */
export async function proxyNote(response: Response, proxyPath: string): Promise<OutcomeNote> {
  const upstream = response.headers.get('x-crossroute-upstream-status');
  if (upstream !== null) {
    const redirects = Number(response.headers.get('x-crossroute-redirects') ?? 0);
    const via = redirects > 0 ? ` at ${response.headers.get('x-crossroute-upstream-url')} after ${redirects} redirect${redirects > 1 ? 's' : ''}` : '';
    return {
      detail: `through ${proxyPath}: proxy ${response.status}, upstream ${upstream}${via}`,
      changes: [`sent to the target by the app's proxy at ${proxyPath}`],
      upstreamStatus: Number(upstream),
      redirects,
    };
  }
  const refusal = (await response
    .clone()
    .json()
    .catch(() => undefined)) as { error?: unknown; reason?: unknown } | undefined;
  if (typeof refusal?.error === 'string') {
    return { kind: 'proxy-error', detail: `${proxyPath} answered ${response.status} ${refusal.error}: ${String(refusal.reason)}` };
  }
  return { kind: 'proxy-error', detail: `${proxyPath} answered ${response.status} without crossroute's headers: is crossroute/proxy mounted at that path?` };
}
