import { CrossrouteError } from '../../errors.js';
import { describe, isPlainObject } from '../../rules/validate-rules.js';

/** What the page gets for a queued beacon (an image pixel always gets a 1×1 GIF). */
export interface BeaconAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The default, read from the SDKs' own code and checked by their e2e tests: a 200 (PostHog sends
 * again on every other status; Mixpanel hands any other to its error reporter) with a JSON body each
 * of them reads as success (Mixpanel's batches parse it, `status: 1`; Amplitude's transport reads `code`).
 */
export const DEFAULT_BEACON_ANSWER: Readonly<BeaconAnswer> = {
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: '{"status":1,"code":200}',
};

const NULL_BODY_STATUSES = [204, 205, 304];

/** Reads `answer: { status?, headers?, body? }`; each part absent keeps the default's. */
export function readBeaconAnswer(value: unknown, field: string): BeaconAnswer {
  if (value === undefined) return { ...DEFAULT_BEACON_ANSWER, headers: { ...DEFAULT_BEACON_ANSWER.headers } };
  // `part` is the sub-field at fault ('' for the answer itself); the prose is for development builds,
  // so each call tests NODE_ENV itself: a production bundle then holds neither the text nor its work.
  const fail = (part: string, message: string | false, code: 'invalid-options' | 'unknown-key' = 'invalid-options'): never => {
    throw new CrossrouteError(code, `${field}${part}`, process.env.NODE_ENV !== 'production' && `${field}${part}${message}`);
  };
  if (!isPlainObject(value)) return fail('', process.env.NODE_ENV !== 'production' && ` must be an object { status?, headers?, body? } (got ${describe(value)}).`);
  const { status = DEFAULT_BEACON_ANSWER.status, headers = DEFAULT_BEACON_ANSWER.headers, body = DEFAULT_BEACON_ANSWER.body, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) fail(`.${unknown[0]}`, process.env.NODE_ENV !== 'production' && ' is not part of an answer. Known: status, headers, body.', 'unknown-key');
  // A queued beacon is a success: an error status would make SDKs send it again themselves.
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 299) fail('.status', process.env.NODE_ENV !== 'production' && ` must be a 2xx status (got ${describe(status)}).`);
  if (typeof body !== 'string') fail('.body', process.env.NODE_ENV !== 'production' && ` must be a string (got ${describe(body)}).`);
  if (NULL_BODY_STATUSES.includes(status as number) && body !== '') fail('.body', process.env.NODE_ENV !== 'production' && ` must be "" with status ${String(status)}, which carries no body; or give a status such as 200.`);
  if (!isPlainObject(headers) || Object.values(headers).some((v) => typeof v !== 'string')) fail('.headers', process.env.NODE_ENV !== 'production' && ` must be an object of header names to string values (got ${describe(headers)}).`);
  try {
    new Headers(headers as Record<string, string>);
  } catch (error) {
    fail('.headers', process.env.NODE_ENV !== 'production' && `: ${error instanceof Error ? error.message : String(error)}; give valid header names and values.`);
  }
  return { status: status as number, headers: { ...(headers as Record<string, string>) }, body: body as string };
}
