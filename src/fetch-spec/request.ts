import { FetchSpecError } from './errors.js';
import type { HeaderListInit } from './header-list.js';

/** The Fetch Standard's request modes, as `Request.mode` reports them. */
export type RequestMode = 'cors' | 'no-cors' | 'same-origin' | 'navigate' | 'websocket';

/** 'stream' is a ReadableStream body: it cannot be replayed and forces a preflight. */
export type RequestBodyKind = 'none' | 'bytes' | 'stream';

/** A request as plain data, so it can be classified without Request/Headers objects. */
export interface RequestDescriptor {
  /** The URL requested; absolute, or relative to `origin`. */
  url: string;
  /** The method, in any case. */
  method: string;
  /** The headers the page sets, in order. */
  headers: HeaderListInit;
  /** Defaults to 'cors', as for `new Request()`. */
  mode?: RequestMode;
  /** Defaults to 'none'. */
  body?: RequestBodyKind;
  /** Informative only ('json', 'text', 'blob', 'formdata', 'urlsearchparams', 'arraybuffer'...). */
  bodyType?: string;
  /** The requesting client's origin (or any URL of it). */
  origin?: string;
}

/** The Request constructor rejects a body on GET and HEAD. */
export function assertBodyAllowed(method: string, body: RequestBodyKind): void {
  if (body !== 'none' && (method === 'GET' || method === 'HEAD')) {
    throw new FetchSpecError(
      'body-with-get-or-head',
      `body is set on a ${method} request, which fetch() rejects: set body to 'none' or use POST`,
    );
  }
}
