/**
 * A Retry-After header value (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) as milliseconds
 * from `now`; undefined when absent or malformed, so the caller falls back to its own backoff.
 */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Every HTTP-date form starts with a day name; Date.parse alone would take "-5" for a year.
  const date = /^[A-Za-z]{3}/.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
