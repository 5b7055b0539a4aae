import { describe, expect, it } from 'vitest';
import {
  FetchSpecError,
  isCorsSafelistedMethod,
  isForbiddenMethod,
  normalizeMethod,
  toRequestMethod,
} from '../../../src/fetch-spec/index.js';

describe('normalizeMethod', () => {
  it.each([
    ['get', 'GET'],
    ['Get', 'GET'],
    ['head', 'HEAD'],
    ['post', 'POST'],
    ['put', 'PUT'],
    ['delete', 'DELETE'],
    ['options', 'OPTIONS'],
  ])('upper-cases %s → %s', (input, output) => {
    expect(normalizeMethod(input)).toBe(output);
  });

  it.each(['patch', 'Patch', 'propfind', 'CHICKEN', 'eGg'])('leaves %s as is', (method) => {
    expect(normalizeMethod(method)).toBe(method);
  });
});

describe('isCorsSafelistedMethod', () => {
  it.each(['GET', 'HEAD', 'POST'])('%s is safelisted', (method) => {
    expect(isCorsSafelistedMethod(method)).toBe(true);
  });
  it.each(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'get', 'Post'])('%s is not (case-sensitive)', (method) => {
    expect(isCorsSafelistedMethod(method)).toBe(false);
  });
  it('is safelisted after normalization', () => {
    expect(isCorsSafelistedMethod(normalizeMethod('post'))).toBe(true);
  });
});

describe('isForbiddenMethod / toRequestMethod', () => {
  it.each(['CONNECT', 'trace', 'Track'])('%s is forbidden', (method) => {
    expect(isForbiddenMethod(method)).toBe(true);
    expect(() => toRequestMethod(method)).toThrow(expect.objectContaining({ code: 'forbidden-method' }));
  });

  it.each(['', 'GET ', 'G(T', 'PÖST', 'GE\u20acT'])('rejects non-token method %j', (method) => {
    expect(() => toRequestMethod(method)).toThrow(FetchSpecError);
    expect(() => toRequestMethod(method)).toThrow(expect.objectContaining({ code: 'invalid-method' }));
  });

  it('normalizes valid methods', () => {
    expect(toRequestMethod('delete')).toBe('DELETE');
    expect(toRequestMethod('patch')).toBe('patch');
  });
});
