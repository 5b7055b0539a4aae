import { describe, expect, it } from 'vitest';
import { overBudget } from '../../../src/sw/cache/over-budget.js';

const now = 1_000_000_000;
const entry = (name: string, lastUsed: number, size = 10, storedAt = now - 1000) => ({ name, lastUsed, size, storedAt });
const generous = { maxEntries: 100, maxAgeSeconds: 3600, maxBytes: 1e9 };
const names = (evictions: Array<{ record: { name: string } }>): string[] => evictions.map((e) => e.record.name);

describe('overBudget', () => {
  it('evicts nothing while every limit holds', () => {
    expect(overBudget([entry('a', 1), entry('b', 2)], generous, now)).toEqual([]);
  });

  it('evicts the least recently used until maxEntries holds, whatever the input order', () => {
    const evictions = overBudget([entry('c', 30), entry('a', 10), entry('d', 40), entry('b', 20)], { ...generous, maxEntries: 2 }, now);
    expect(names(evictions)).toEqual(['a', 'b']);
    expect(evictions[0]!.reason).toBe('least recently used of 4 entries; maxEntries is 2');
  });

  it('evicts the least recently used until the byte total fits maxBytes', () => {
    const records = [entry('a', 1, 7_000_000), entry('b', 2, 3_000_000), entry('c', 3, 6_000_000)];
    const evictions = overBudget(records, { ...generous, maxBytes: 10_000_000 }, now);
    expect(names(evictions)).toEqual(['a']);
    expect(evictions[0]!.reason).toBe('least recently used; 16.0 MB counted, maxBytes is 10.0 MB');
  });

  it('evicts even the newest entry when it alone is larger than maxBytes', () => {
    expect(names(overBudget([entry('a', 1, 5), entry('huge', 2, 50)], { ...generous, maxBytes: 20 }, now))).toEqual(['a', 'huge']);
  });

  it('ages out entries older than maxAgeSeconds first, and counts only the rest', () => {
    const records = [entry('old', 50, 10, now - 3601_000), entry('a', 10), entry('b', 20)];
    const evictions = overBudget(records, { ...generous, maxAgeSeconds: 3600, maxEntries: 2 }, now);
    expect(names(evictions)).toEqual(['old']);
    expect(evictions[0]!.reason).toBe('older than maxAgeSeconds (3600)');
  });

  it('never ages out an entry of unknown age; its lastUsed of 0 makes it the first to go under pressure', () => {
    const records = [entry('unknown', 0, 10, 0), entry('a', 10)];
    expect(overBudget(records, generous, now)).toEqual([]);
    expect(names(overBudget(records, { ...generous, maxEntries: 1 }, now))).toEqual(['unknown']);
  });
});
