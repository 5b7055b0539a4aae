/**
 * What a request needs the origin to grant, from least to most: a CORS simple request; a preflighted
 * one (a method or header outside the safelists, so the origin must answer OPTIONS); one with
 * credentials (`Access-Control-Allow-Credentials` and an exact `Access-Control-Allow-Origin`).
 */
export type CorsCase = 'simple' | 'preflighted' | 'credentialed';

/** One thing learned: whether the origin passed the CORS check for a case, and when that was seen. */
export interface CorsFact {
  granted: boolean;
  /** Epoch milliseconds. */
  learnedAt: number;
}

/** What the worker knows about one origin; a case without a fact is unknown. */
export interface OriginCors {
  /** Serialized origin, e.g. `https://tiles.example`: the record's key. */
  origin: string;
  simple?: CorsFact;
  preflighted?: CorsFact;
  credentialed?: CorsFact;
}

/** The answer for a case: known either way, or not known (never seen, or older than the TTL). */
export type CorsVerdict = 'granted' | 'refused' | 'unknown';
