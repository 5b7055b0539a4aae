import type { OutcomeNote } from '../../contract/policy.js';
import type { BodyEnd } from './follow-body.js';

/** What the outcome adds once the proxied body has ended: nothing when it was delivered whole. */
export function bodyNote(end: BodyEnd): OutcomeNote {
  switch (end.end) {
    case 'delivered':
      return {};
    case 'cut':
      return { kind: 'proxy-error', detail: `the body failed after ${end.bytes} bytes: ${end.code} (${end.why})` };
    case 'cancelled':
      return { detail: `the page cancelled the body after ${end.bytes} bytes` };
    case 'unread':
      return { detail: `the page had read ${end.bytes} bytes of the body when the proxy's deadline passed` };
  }
}
