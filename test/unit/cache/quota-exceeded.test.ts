import { describe, expect, it } from 'vitest';
import { isQuotaExceeded } from '../../../src/sw/cache/quota-exceeded.js';

describe('isQuotaExceeded', () => {
  it('knows the DOMException by name', () => {
    expect(isQuotaExceeded(new DOMException('full', 'QuotaExceededError'))).toBe(true);
  });

  it('is false for other errors, including a plain Error with the same name', () => {
    expect(isQuotaExceeded(new DOMException('gone', 'NotFoundError'))).toBe(false);
    expect(isQuotaExceeded(Object.assign(new Error('full'), { name: 'QuotaExceededError' }))).toBe(false);
    expect(isQuotaExceeded(new TypeError('Failed to fetch'))).toBe(false);
  });
});
