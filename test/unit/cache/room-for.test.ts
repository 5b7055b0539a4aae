import { describe, expect, it } from 'vitest';
import { roomFor } from '../../../src/sw/cache/room-for.js';

const entry = (name: string, lastUsed: number, size: number) => ({ name, lastUsed, size });

describe('roomFor', () => {
  const records = [entry('c', 3, 5), entry('a', 1, 4), entry('b', 2, 4)];

  it('takes the least recently used entries until their sizes cover the bytes needed', () => {
    expect(roomFor(records, 6).map((r) => r.name)).toEqual(['a', 'b']);
    expect(roomFor(records, 4).map((r) => r.name)).toEqual(['a']);
  });

  it('takes at least one entry, even when no room is asked for', () => {
    expect(roomFor(records, 0).map((r) => r.name)).toEqual(['a']);
  });

  it('takes everything when everything is not enough, and nothing from an empty cache', () => {
    expect(roomFor(records, 100)).toHaveLength(3);
    expect(roomFor([], 100)).toEqual([]);
  });

  it('leaves its input as it was', () => {
    roomFor(records, 6);
    expect(records.map((r) => r.name)).toEqual(['c', 'a', 'b']);
  });
});
