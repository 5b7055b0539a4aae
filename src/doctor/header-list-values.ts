import { isHttpToken } from '../fetch-spec/index.js';

/** A comma-separated list of tokens (Allow-Methods, Allow-Headers, Expose-Headers): the tokens, or the first invalid one. */
export function parseTokenList(value: string | null): { tokens: string[] } | { invalid: string } {
  const tokens: string[] = [];
  for (const item of (value ?? '').split(',')) {
    const token = item.replace(/^[\t ]+|[\t ]+$/g, '');
    // Empty elements are allowed by the list syntax, and browsers skip them.
    if (token === '') continue;
    if (!isHttpToken(token)) return { invalid: token };
    tokens.push(token);
  }
  return { tokens };
}
