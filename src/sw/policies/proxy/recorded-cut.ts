import type { BodyEnd } from './follow-body.js';

type Cut = Extract<BodyEnd, { end: 'cut' }>;

/**
 * The proxy's own code for a cut body, asked at `<proxy>?exchange=<id>` (the answer's
 * `x-crossroute-exchange`): the worker's reading of bytes and times cannot tell a size cut whose
 * last bytes the engine dropped from a target failing. The worker's reading stays when the proxy
 * does not know the exchange (another process served it, an older proxy).
 */
export async function recordedCut(cut: Cut, endpoint: URL, exchange: string, credentials: RequestCredentials): Promise<Cut> {
  try {
    const response = await fetch(`${endpoint.pathname}?exchange=${encodeURIComponent(exchange)}`, { credentials });
    const { error } = (await response.json()) as { error?: unknown };
    if (response.ok && typeof error === 'string') return { ...cut, code: error, why: "the proxy's record of the exchange" };
  } catch {
    // The worker's own reading is the answer then.
  }
  return cut;
}
