/** The comma-separated tokens of a header value (Connection, Vary), trimmed, empty ones dropped. */
export function headerTokens(value: string): string[] {
  return value.split(',').map((token) => token.trim()).filter(Boolean);
}
