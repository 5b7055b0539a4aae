import type { HeaderListInit } from '../fetch-spec/index.js';
import type { CorsReason } from './reasons.js';

/** fetch()'s credentials mode. */
export type CredentialsMode = 'omit' | 'same-origin' | 'include';

/** The request a page would make, as plain data. */
export interface DoctorRequest {
  /** The URL the page fetches. */
  url: string;
  /** The page's origin (or any URL of it): what the browser sends as `Origin`. */
  origin: string;
  /** Default GET. */
  method?: string;
  /** The headers the page sets; the browser's own are added as a browser would. */
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

/** How diagnose() reaches the network. */
export interface DoctorOptions {
  /** The network: the doctor sends through it with `redirect: 'manual'` and follows redirects itself. */
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  /** Default 20, as browsers. */
  maxRedirects?: number;
}

/** A request the doctor sent, as the browser would have sent it. */
export interface SentRequest {
  /** OPTIONS for a preflight, else the request's method. */
  readonly method: string;
  /** This hop's URL. */
  readonly url: string;
  /** Name/value pairs as sent. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

/** An answer the doctor received. */
export interface ReceivedResponse {
  /** Its HTTP status. */
  readonly status: number;
  /** As a Headers object lists them: lower-case names, repeated fields joined with ", ". */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

/** One exchange of the diagnosis: a preflight, or the request (each redirect hop is a step). */
export interface DoctorStep {
  /** Which exchange this is. */
  readonly kind: 'preflight' | 'request';
  /** What was (or would have been) sent. */
  readonly sent: SentRequest;
  /** Absent when the request was not sent (`result: 'not-sent'`) or the network failed. */
  readonly received?: ReceivedResponse;
  /** The network error, when the exchange failed before an answer. */
  readonly networkError?: string;
  /** 'basic': same-origin so far, the browser checks no CORS headers on this answer. */
  readonly result: 'passed' | 'failed' | 'basic' | 'not-sent';
}

/** The first check that failed. */
export interface DoctorFailure {
  /** Index in `steps` of the step that failed. */
  readonly step: number;
  /** MDN's name for the CORS error (CORSMissingAllowOrigin, …). */
  readonly reason: CorsReason;
  /** What went wrong, with the values seen. */
  readonly message: string;
  /** The change on the server (or in the page) that makes the check pass. */
  readonly fix: string;
}

/** What diagnose() found. */
export interface Diagnosis {
  /** 'ok': every check the browser makes passed; 'unverified': the preflight passed but the actual request was not sent. */
  readonly verdict: 'ok' | 'blocked' | 'unverified';
  /** Whether the request is cross-origin from the page (a same-origin request has no CORS checks). */
  readonly crossOrigin: boolean;
  /** Why the first request is preflighted (empty when it is not). */
  readonly preflightReasons: readonly string[];
  /** Every exchange, in order. */
  readonly steps: readonly DoctorStep[];
  /** Present when the verdict is 'blocked'. */
  readonly failure?: DoctorFailure;
  /** What else the page should know (ignored forbidden headers, unsent body, cookies not sent by the doctor). */
  readonly notes: readonly string[];
}
