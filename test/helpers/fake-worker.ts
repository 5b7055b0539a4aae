import { vi } from 'vitest';
import type { OutcomeNote, PolicyHandlerOptions } from '../../src/sw/contract/policy.js';
import { corsKnowledge } from '../../src/sw/knowledge/cors-knowledge.js';
import type { CorsCase, CorsVerdict } from '../../src/sw/knowledge/cors-fact.js';
import { mergeHeldNote } from '../../src/sw/route/merge-held-note.js';

/** The app's origin in a fake worker. */
export const APP = 'https://app.test';

/** Answers the worker's fetch() calls: a response, or a throw for a failed fetch (a CORS refusal, an outage). */
export type Network = (request: Request) => Response | Promise<Response>;

/**
 * A service worker's globals, enough to run a policy in Node: `self` on APP, and a fetch() that
 * `network` answers (vi.unstubAllGlobals() undoes it).
 */
export function stubWorker(network: Network): void {
  vi.stubGlobal('self', { location: new URL(`${APP}/sw.js`), navigator: { userAgent: 'crossroute-test' } });
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => network(input instanceof Request ? new Request(input, init) : new Request(new URL(String(input), APP), init)));
}

/** What the dispatcher would hand a policy for `request`, and what the policy noted, once every note and wait has settled. */
export function handlerFor(request: Request): { options: PolicyHandlerOptions; settled(): Promise<OutcomeNote> } {
  const noted: OutcomeNote = {};
  const later: Array<Promise<OutcomeNote>> = [];
  const waits: Array<Promise<unknown>> = [];
  const options = {
    request,
    url: new URL(request.url),
    event: { waitUntil: (promise: Promise<unknown>) => void waits.push(promise) },
    params: { rule: { index: 0, name: 'rule 0' }, note: (note: OutcomeNote) => void Object.assign(noted, note), noteLater: (promise: Promise<OutcomeNote>) => void later.push(promise) },
  } as unknown as PolicyHandlerOptions;
  return {
    options,
    async settled() {
      for (const note of await Promise.all(later)) mergeHeldNote(noted, note);
      await Promise.all(waits);
      return noted;
    },
  };
}

/** What the worker's CORS knowledge says now of `origin` for `corsCase` (a probe it opens is closed at once). */
export async function verdictOf(origin: string, corsCase: CorsCase): Promise<CorsVerdict> {
  const known = await corsKnowledge().consult(origin, corsCase, 86_400_000);
  await known.lesson?.(undefined);
  return known.verdict;
}
