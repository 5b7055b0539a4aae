/** How long a learned fact holds when a policy does not say (a day): then the next request probes the origin again. */
export const KNOWLEDGE_TTL_MS = 86_400_000;

/** "12 s ago", for outcome details that cite a fact. */
export function ago(time: number | undefined): string {
  return time === undefined ? 'at an unknown time' : `${Math.max(0, Math.round((Date.now() - time) / 1000))} s ago`;
}
