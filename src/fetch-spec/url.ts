import { FetchSpecError } from './errors.js';

// The ES2022 lib has no URL type, yet every runtime this code runs in (service worker, page, Node)
// ships the WHATWG URL parser. A module-local view is used instead of an ambient `declare const URL`
// because src/sw and src/client compile these files with the WebWorker/DOM libs, where a second
// global declaration would be a redeclaration error.
export interface ParsedUrl {
  readonly protocol: string;
  readonly origin: string;
}

interface UrlConstructor {
  new (input: string): ParsedUrl;
}

export function parseUrl(input: string, field: string): ParsedUrl {
  try {
    // Read at the call, not at import: a top-level read of globalThis.URL stays in every bundle.
    return new (globalThis as unknown as { readonly URL: UrlConstructor }).URL(input);
  } catch {
    throw new FetchSpecError(
      'invalid-url',
      `${field} "${input}" is not an absolute URL: pass a full URL such as "https://example.com/path"`,
    );
  }
}
