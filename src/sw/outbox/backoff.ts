/**
 * Delay before the next try after `failures` consecutive failures: exponential from `baseMs`,
 * capped at `maxMs`, with "equal jitter" (a random point in the upper half) so that many clients
 * that failed together do not come back together, and a delay is never near zero.
 */
export function backoffDelay(failures: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
