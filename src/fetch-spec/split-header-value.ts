const LEADING_OR_TRAILING_TAB_OR_SPACE = /^[\t ]+|[\t ]+$/g;

/** Index just past the HTTP quoted string that starts at `start` (a `"`), or the end of input. */
function quotedStringEnd(input: string, start: number): number {
  let position = start + 1;
  while (position < input.length) {
    const codeUnit = input[position];
    position += codeUnit === '\\' ? 2 : 1;
    if (codeUnit === '"') break;
  }
  return Math.min(position, input.length);
}

/**
 * Fetch "get, decode, and split" a header value: split on commas outside quoted strings, trim tabs
 * and spaces. Quotes are kept, so `"TRACE"` is not the method TRACE.
 */
export function getDecodeSplit(value: string): string[] {
  const values: string[] = [];
  let position = 0;
  let temporaryValue = '';
  for (;;) {
    while (position < value.length && value[position] !== '"' && value[position] !== ',') {
      temporaryValue += value[position];
      position++;
    }
    if (position < value.length && value[position] === '"') {
      const end = quotedStringEnd(value, position);
      temporaryValue += value.slice(position, end);
      position = end;
      if (position < value.length) continue;
    }
    values.push(temporaryValue.replace(LEADING_OR_TRAILING_TAB_OR_SPACE, ''));
    temporaryValue = '';
    if (position >= value.length) return values;
    position++; // past the comma
  }
}
