import type { OutcomeNote } from '../../contract/policy.js';
import { messageOf } from '../../errors.js';
import { corsKnowledge } from '../../knowledge/cors-knowledge.js';
import { corsCaseOf } from '../cors-case.js';
import { headersSetByPage } from '../headers-set-by-page.js';

/** How long an outcome waits for a diagnosis before it is written without one. */
const DIAGNOSIS_TIMEOUT_MS = 15_000;

interface DiagnosisAnswer {
  verdict?: string;
  failure?: { reason: string; message: string; fix: string };
  /** The proxy's refusal. */
  error?: string;
}

/**
 * Asks crossroute's proxy at `proxyPath` why the browser refused `request` in cors mode
 * (`POST <proxyPath>?url=<target>&diagnose`, see the README): the outcome gets the doctor's reason
 * and fix, and its `detail` (as `detail()` reads it when the diagnosis returns, so notes made after
 * this call are kept) the values the doctor saw. A "blocked" verdict is a lesson
 * for the worker's CORS knowledge: refused, unless the doctor got no answer at all (CORSDidNotSucceed:
 * an outage teaches nothing); "ok" and "unverified" teach nothing. Never rejects: without a diagnosis (no proxy, a refusal, past the time limit) the detail
 * says why, and nothing else changes.
 */
export async function askDiagnosis(proxyPath: string, request: Request, credentials: RequestCredentials, detail: () => string): Promise<OutcomeNote> {
  const endpoint = new URL(proxyPath, self.location.origin);
  endpoint.searchParams.set('url', request.url);
  endpoint.searchParams.set('diagnose', '');
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: request.method, headers: headersSetByPage(request), credentials }),
      signal: AbortSignal.timeout(DIAGNOSIS_TIMEOUT_MS),
    });
    const { failure, error, verdict } = (await response.json()) as DiagnosisAnswer;
    // Only a refusal is a lesson: the browser has just been refused, and the doctor's "ok" (it sends no cookies; a CDN may
    // answer it otherwise) must not overturn that. Not awaited: the outcome must not wait on the knowledge's database.
    if (failure && failure.reason !== 'CORSDidNotSucceed') void corsKnowledge().learn(new URL(request.url).origin, corsCaseOf(request, credentials), false);
    if (failure) return { reason: failure.reason, fix: failure.fix, detail: `${detail()}; ${failure.message}` };
    // "unverified": the preflight passed, and an unsafe request is never sent by a diagnosis; "ok": the doctor sends no cookies.
    return { detail: `${detail()}; diagnosis by ${proxyPath}: ${error ?? verdict}` };
  } catch (error) {
    return { detail: `${detail()}; no diagnosis from ${proxyPath}: ${messageOf(error)}` };
  }
}
