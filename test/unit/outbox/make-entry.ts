import { randomUUID } from 'node:crypto';
import type { OutboxEntry } from '../../../src/sw/outbox/outbox-entry.js';

export const ORIGIN = 'http://127.0.0.1:8788';
const encoder = new TextEncoder();

/** A queued beacon as the policy would store it, due at `queuedAt` unless told otherwise. */
export function makeEntry(overrides: Partial<OutboxEntry> & { text?: string } = {}): OutboxEntry {
  const { text = '{"e":1}', ...fields } = overrides;
  const id = fields.id ?? randomUUID();
  const queuedAt = fields.queuedAt ?? 1_000;
  const origin = fields.origin ?? ORIGIN;
  const url = fields.url ?? `${origin}/beacon?bid=${id}`;
  const body = encoder.encode(text).buffer as ArrayBuffer;
  return {
    id,
    url,
    origin,
    method: 'POST',
    headers: [['content-type', 'text/plain;charset=UTF-8']],
    body,
    credentials: 'same-origin',
    delivery: 'no-cors',
    simple: true,
    destination: '',
    idParam: 'bid',
    queuedAt,
    expiresAt: queuedAt + 86_400_000,
    nextAttemptAt: queuedAt,
    attempts: 0,
    sends: 0,
    bytes: body.byteLength + url.length,
    retry: { maxAttempts: 3, maxAgeMs: 86_400_000, backoffMs: 1000, backoffMaxMs: 8000 },
    batch: null,
    rule: { index: 0, name: 'analytics' },
    ...fields,
  };
}

/** A fresh outbox database name per test: fake-indexeddb keeps databases for the whole run. */
export const freshName = (): string => `outbox-test-${randomUUID()}`;
