import { describe, expect, it } from 'vitest';
import { ExchangeRecords } from '../../../src/proxy/core/exchange-records.js';

describe('ExchangeRecords: the codes of cut bodies, for their callers to ask', () => {
  it('finds a code for 60 s, then forgets it', () => {
    const records = new ExchangeRecords();
    records.record('a', 'response-too-large', 1_000);
    expect(records.find('a', 60_999)).toBe('response-too-large');
    expect(records.find('a', 61_000)).toBeUndefined();
    expect(records.find('b', 1_000)).toBeUndefined();
  });

  it('keeps at most 1024, dropping the oldest first', () => {
    const records = new ExchangeRecords();
    for (let i = 0; i < 1025; i++) records.record(`id-${i}`, 'upstream-timeout', 1_000 + i);
    expect(records.find('id-0', 2_100)).toBeUndefined();
    expect(records.find('id-1', 2_100)).toBe('upstream-timeout');
    expect(records.find('id-1024', 2_100)).toBe('upstream-timeout');
  });
});
