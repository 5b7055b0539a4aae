/** The comma-separated tokens of a header value (Connection, Vary), trimmed, empty ones dropped. */
export function headerTokens(value: string): string[] {
  // Most values are one token (`Connection: keep-alive` on every request): no split, no arrays to drop.
  if (!value.includes(',')) {
    const token = value.trim();
    return token ? [token] : [];
  }
  return value.split(',').map((token) => token.trim()).filter(Boolean);
}
