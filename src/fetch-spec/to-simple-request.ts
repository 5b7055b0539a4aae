import { MAX_SAFELISTED_TOTAL_BYTES } from './cors-unsafe-names.js';
import { FetchSpecError } from './errors.js';
import { isForbiddenRequestHeader } from './forbidden-header.js';
import { type Header, type HeaderListInit, toHeaderList } from './header-list.js';
import { corsSafelistViolation } from './header-safelist.js';
import { type CorsSafelistedMethod, isCorsSafelistedMethod, toRequestMethod } from './method.js';
import type { HeaderReason } from './reasons.js';
import { assertBodyAllowed, type RequestBodyKind } from './request.js';

/** What fetch() itself sends for a string body; safelisted. */
export const SIMPLE_CONTENT_TYPE = 'text/plain;charset=UTF-8';

/** The request toSimpleRequest() rewrites. */
export interface SimpleRequestInput {
  /** The method; GET, HEAD or POST (any case). */
  method: string;
  /** The headers the page sets, in order. */
  headers: HeaderListInit;
  /** Defaults to 'none'. */
  body?: RequestBodyKind;
}

/** The body was re-typed to the simple Content-Type. */
export interface ContentTypeRetyped {
  /** What kind of change this is. */
  readonly code: 'content-type-retyped';
  /** The Content-Type the request had. */
  readonly from: string;
  /** The Content-Type it is sent with. */
  readonly to: string;
  /** A sentence for people: what changed and why. */
  readonly message: string;
}

/** Why a header was dropped: forbidden to scripts, or the rule of the simple request it broke. */
export type HeaderDropReason = 'forbidden' | HeaderReason['code'] | 'safelisted-total-over-1024';

/** A header was dropped. */
export interface HeaderDropped {
  /** What kind of change this is. */
  readonly code: 'header-dropped';
  /** The dropped header's name. */
  readonly name: string;
  /** Why it was dropped. */
  readonly reason: HeaderDropReason;
  /** A sentence for people: what changed and why. */
  readonly message: string;
}

/** A stream body must be read into bytes before sending. */
export interface BodyBuffered {
  /** What kind of change this is. */
  readonly code: 'body-buffered';
  /** A sentence for people: what changed and why. */
  readonly message: string;
}

/** One difference between a request and its simple form. */
export type SimpleRequestChange = ContentTypeRetyped | HeaderDropped | BodyBuffered;

/** A request rewritten so that the browser sends it without a preflight. */
export interface SimpleRequest {
  /** GET, HEAD or POST. */
  readonly method: CorsSafelistedMethod;
  /** The headers to send, in order: name and value. */
  readonly headers: Array<[string, string]>;
  /** What kind of body to send; a stream is to be buffered first. */
  readonly body: RequestBodyKind;
  /** Everything that differs from the input, in header order; empty if it already was simple. */
  readonly changes: SimpleRequestChange[];
}

function dropped(name: string, reason: HeaderDropReason, why: string): HeaderDropped {
  return { code: 'header-dropped', name, reason, message: `${name} dropped: ${why}` };
}

/**
 * Rewrite a request into a CORS simple request (no preflight): non-simple content-type on a POST
 * becomes text/plain, every other unsafe or forbidden header is dropped, a stream body is to be
 * buffered. Throws FetchSpecError 'method-not-simple' for methods other than GET, HEAD, POST.
 */
export function toSimpleRequest(req: SimpleRequestInput): SimpleRequest {
  const method = toRequestMethod(req.method);
  if (!isCorsSafelistedMethod(method)) {
    throw new FetchSpecError(
      'method-not-simple',
      `${method} cannot be sent as a CORS simple request: only GET, HEAD and POST can; use the proxy policy for this request`,
    );
  }
  const body = req.body ?? 'none';
  assertBodyAllowed(method, body);

  const changes: SimpleRequestChange[] = [];
  if (body === 'stream') {
    changes.push({
      code: 'body-buffered',
      message: 'the ReadableStream body must be read into bytes first (e.g. await request.arrayBuffer()): a stream body always forces a preflight',
    });
  }

  const kept: Header[] = [];
  for (const { name, value } of toHeaderList(req.headers)) {
    if (isForbiddenRequestHeader(name, value)) {
      changes.push(dropped(name, 'forbidden', `${name} is a forbidden request-header, only the browser sets it`));
      continue;
    }
    const violation = corsSafelistViolation(name, value);
    if (violation === null) {
      kept.push({ name, value });
    } else if (name === 'content-type' && method === 'POST') {
      // The body still has to be sent; text/plain is what a plain string body gets anyway.
      kept.push({ name, value: SIMPLE_CONTENT_TYPE });
      changes.push({
        code: 'content-type-retyped',
        from: value,
        to: SIMPLE_CONTENT_TYPE,
        message: `content-type re-typed to ${SIMPLE_CONTENT_TYPE} (${violation.message}); the server must parse the body without relying on it`,
      });
    } else {
      // Covers content-type on GET/HEAD too: there is no body for it to describe.
      changes.push(dropped(name, violation.code, violation.message));
    }
  }
  enforceSafelistedTotal(kept, changes);

  return {
    method,
    headers: kept.map(({ name, value }): [string, string] => [name, value]),
    body: body === 'stream' ? 'bytes' : body,
    changes,
  };
}

/** Drop largest values first (the last of equals) until the safelisted total fits in 1024 bytes. */
function enforceSafelistedTotal(kept: Header[], changes: SimpleRequestChange[]): void {
  let total = kept.reduce((sum, header) => sum + header.value.length, 0);
  while (total > MAX_SAFELISTED_TOTAL_BYTES) {
    let largestIndex = 0;
    kept.forEach((header, index) => {
      if (header.value.length >= (kept[largestIndex]?.value.length ?? 0)) largestIndex = index;
    });
    const [largest] = kept.splice(largestIndex, 1);
    if (largest === undefined) return;
    changes.push(
      dropped(
        largest.name,
        'safelisted-total-over-1024',
        `safelisted header values total ${total} bytes, over ${MAX_SAFELISTED_TOTAL_BYTES}; dropping the largest (${largest.value.length} bytes)`,
      ),
    );
    total -= largest.value.length;
  }
}
