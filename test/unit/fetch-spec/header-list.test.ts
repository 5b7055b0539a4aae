import { describe, expect, it } from 'vitest';
import { toHeaderList } from '../../../src/fetch-spec/index.js';

describe('toHeaderList', () => {
  it('accepts a record, an array of pairs and a Map', () => {
    const expected = [
      { name: 'accept', value: 'a' },
      { name: 'x-b', value: 'b' },
    ];
    expect(toHeaderList({ Accept: 'a', 'X-B': 'b' })).toEqual(expected);
    expect(toHeaderList([['Accept', 'a'], ['X-B', 'b']])).toEqual(expected);
    expect(toHeaderList(new Map([['ACCEPT', 'a'], ['x-b', 'b']]))).toEqual(expected);
  });

  it('keeps duplicate entries, in order', () => {
    expect(toHeaderList([['accept', 'a'], ['Accept', 'b']])).toEqual([
      { name: 'accept', value: 'a' },
      { name: 'accept', value: 'b' },
    ]);
  });

  it('normalizes values: strips leading/trailing HTTP whitespace only', () => {
    expect(toHeaderList({ a: ' \t\r\n x \t y \n' })).toEqual([{ name: 'a', value: 'x \t y' }]);
  });

  it.each(['', 'x y', 'x:y', 'x\u00e9', 'a(b)', 'x\n'])('rejects header name %j', (name) => {
    expect(() => toHeaderList({ [name]: 'v' })).toThrow(expect.objectContaining({ code: 'invalid-header-name' }));
  });

  it.each(['a\0b', 'a\nb', 'a\rb'])('rejects value %j (NUL, CR, LF inside)', (value) => {
    expect(() => toHeaderList({ 'x-a': value })).toThrow(expect.objectContaining({ code: 'invalid-header-value' }));
  });

  it('rejects a value that is not a byte string', () => {
    expect(() => toHeaderList({ 'x-name': 'caf\u00e9 \u2615' })).toThrow(
      expect.objectContaining({ code: 'header-value-not-bytes' }),
    );
    expect(() => toHeaderList({ 'x-name': 'caf\u00e9' })).not.toThrow();
  });
});
