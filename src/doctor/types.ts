import type { HeaderListInit } from '../fetch-spec/index.js';
import type { CorsReason } from './reasons.js';

export type CredentialsMode = 'omit' | 'same-origin' | 'include';

/** The request a page would make, as plain data. */
export interface DoctorRequest {
  url: string;
  /** The page's origin (or any URL of it): what the browser sends as `Origin`. */
  origin: string;
  /** Default GET. */
  method?: string;
  headers?: HeaderListInit;
  /** As fetch()'s option; default 'same-origin' (no cookies cross-origin). Only 'include' changes the checks. */
  credentials?: CredentialsMode;
  /** Sent only with the actual request, so only when that is sent. */
  body?: string;
  /** Response headers the page reads: each must be exposed to it. */
  read?: readonly string[];
  /** Send a non-GET/HEAD actual request too (it may change data on the server). Default false. */
  sendActual?: boolean;
}

export interface DoctorOptions {
  /** The network: the doctor sends through it with `redirect: 'manual'` and follows redirects itself. */
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  /** Default 20, as browsers. */
  maxRedirects?: number;
}

export interface SentRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

export interface ReceivedResponse {
  readonly status: number;
  /** As a Headers object lists them: lower-case names, repeated fields joined with ", ". */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

export interface DoctorStep {
  readonly kind: 'preflight' | 'request';
  readonly sent: SentRequest;
  /** Absent when the request was not sent (`result: 'not-sent'`) or the network failed. */
  readonly received?: ReceivedResponse;
  readonly networkError?: string;
  /** 'basic': same-origin so far, the browser checks no CORS headers on this answer. */
  readonly result: 'passed' | 'failed' | 'basic' | 'not-sent';
}

export interface DoctorFailure {
  /** Index in `steps` of the step that failed. */
  readonly step: number;
  readonly reason: CorsReason;
  /** What went wrong, with the values seen. */
  readonly message: string;
  /** The change on the server (or in the page) that makes the check pass. */
  readonly fix: string;
}

export interface Diagnosis {
  /** 'ok': every check the browser makes passed; 'unverified': the preflight passed but the actual request was not sent. */
  readonly verdict: 'ok' | 'blocked' | 'unverified';
  readonly crossOrigin: boolean;
  /** Why the first request is preflighted (empty when it is not). */
  readonly preflightReasons: readonly string[];
  readonly steps: readonly DoctorStep[];
  readonly failure?: DoctorFailure;
  /** What else the page should know (ignored forbidden headers, unsent body, cookies not sent by the doctor). */
  readonly notes: readonly string[];
}
