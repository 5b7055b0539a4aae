import type { OutcomeNote } from '../../contract/policy.js';
import { messageOf } from '../../errors.js';
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
 * (`POST <proxyPath>?url=<target>&diagnose`, see the README), as a held note (`noteLater`): the
 * outcome gets the doctor's reason and fix, and its detail the values the doctor saw. It teaches the
 * CORS knowledge nothing: the caller has already learned the refusal that asked for it, and the
 * doctor's "ok" (it sends no cookies; a CDN may answer a server otherwise) must not overturn that.
 * Never rejects: without a diagnosis (no proxy, a refusal, past the time limit) the detail says why.
 */
export async function askDiagnosis(proxyPath: string, request: Request, credentials: RequestCredentials): Promise<OutcomeNote> {
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
    if (failure) return { reason: failure.reason, fix: failure.fix, detail: failure.message };
    // "unverified": the preflight passed, and an unsafe request is never sent by a diagnosis; "ok": the doctor sends no cookies.
    return { detail: `diagnosis by ${proxyPath}: ${error ?? verdict}` };
  } catch (error) {
    return { detail: `no diagnosis from ${proxyPath}: ${messageOf(error)}` };
  }
}
