import type { OutcomeNote } from '../contract/policy.js';

/**
 * Merges a held note (`noteLater`) into the outcome's note: its fields replace, its `detail` is added
 * to the detail as it stands, so a note that arrives after the answer says only what it adds.
 */
export function mergeHeldNote(note: OutcomeNote, held: OutcomeNote): void {
  const { detail, ...rest } = held;
  Object.assign(note, rest);
  if (detail !== undefined) note.detail = note.detail ? `${note.detail}; ${detail}` : detail;
}
