import type { OutcomeKind } from '../../model/outcome.js';

/** The outcome kind a response shows by itself, before a policy adds what it knows. */
export function classifyResponse(response: Response): OutcomeKind {
  switch (response.type) {
    case 'error':
      return 'network-error';
    case 'opaque':
      return 'opaque';
    case 'opaqueredirect':
      return 'opaque-redirect';
    default:
      return response.status >= 400 ? 'http-error' : 'ok';
  }
}
