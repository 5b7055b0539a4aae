import type { OutcomeKind } from '../client/index.js';

/** The four colors of the charts: each outcome kind belongs to one family. */
export type KindFamily = 'success' | 'cache' | 'beacon' | 'failed';

/** A Record over every kind, so a new kind does not compile until it has a family. */
const KIND_FAMILY: Readonly<Record<OutcomeKind, KindFamily>> = {
  ok: 'success',
  opaque: 'success',
  'opaque-redirect': 'success',
  'proxy-redirect': 'success',
  'cache-hit': 'cache',
  'cache-miss': 'cache',
  revalidated: 'cache',
  evicted: 'cache',
  queued: 'beacon',
  delivered: 'beacon',
  'http-error': 'failed',
  'network-error': 'failed',
  'cors-blocked': 'failed',
  blocked: 'failed',
  fallback: 'failed',
  'cache-refused': 'failed',
  retry: 'failed',
  dropped: 'failed',
  'proxy-error': 'failed',
};

/** The families in the order the charts stack them (bottom first) and the legend names them. */
export const FAMILIES: ReadonlyArray<{ family: KindFamily; label: string }> = [
  { family: 'success', label: 'answered' },
  { family: 'cache', label: 'cache' },
  { family: 'beacon', label: 'beacon queued or delivered' },
  { family: 'failed', label: 'failed, blocked, retried' },
];

/** The family of a kind; a kind this page does not know (from a newer worker) counts as failed. */
export function familyOf(kind: OutcomeKind): KindFamily {
  return KIND_FAMILY[kind] ?? 'failed';
}
