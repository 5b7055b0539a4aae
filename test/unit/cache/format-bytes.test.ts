import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../../src/sw/cache/format-bytes.js';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [498, '498 B'],
    [1000, '1.0 kB'],
    [28_936, '28.9 kB'],
    [7_340_032, '7.3 MB'],
    [10_755_051_178, '10.8 GB'],
  ])('%d bytes are "%s"', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
