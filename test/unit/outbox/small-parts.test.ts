import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src/sw/outbox/backoff.js';
import { withQueryParam } from '../../../src/sw/outbox/query-param.js';
import { retryAfterMs } from '../../../src/sw/outbox/retry-after.js';

describe('backoffDelay', () => {
  it('doubles per failure from the base, up to the cap, never below half the ceiling', () => {
    const low = (failures: number): number => backoffDelay(failures, 1000, 8000, () => 0);
    const high = (failures: number): number => backoffDelay(failures, 1000, 8000, () => 1);
    expect([1, 2, 3, 4, 5, 10].map(high)).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect([1, 2, 3, 4, 5, 10].map(low)).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
    expect(backoffDelay(0, 1000, 8000, () => 1)).toBe(1000);
  });

  it('spreads clients that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(3, 1000, 60_000)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(2000);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delay-seconds and HTTP-dates', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
  });
  it('gives up on anything else, so the caller uses its own backoff', () => {
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('-5', now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });
});

describe('withQueryParam', () => {
  it('appends without re-encoding what is there, and drops the fragment', () => {
    expect(withQueryParam('https://a.example/c', 'id', 'x')).toBe('https://a.example/c?id=x');
    expect(withQueryParam('https://a.example/c?q=a%20b+c', 'id', 'x')).toBe('https://a.example/c?q=a%20b+c&id=x');
    expect(withQueryParam('https://a.example/c?', 'id', 'x')).toBe('https://a.example/c?id=x');
    expect(withQueryParam('https://a.example/c?q=1&', 'id', 'x')).toBe('https://a.example/c?q=1&id=x');
    expect(withQueryParam('https://a.example/c?q=1#frag?', 'my id', 'a,b')).toBe('https://a.example/c?q=1&my%20id=a%2Cb');
  });
});
