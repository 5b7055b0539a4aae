import { messageOf } from '../errors.js';
import { logger } from '../logger.js';

/**
 * One connection per worker to a database: opened at first use, and again after it closes (another
 * context upgrading it, site data cleared). A failed open resolves undefined and is not retried
 * before the worker restarts; the caller then goes on from memory (`what` names it in the warning).
 */
export function sharedConnection<D>(open: (closed: () => void) => Promise<D>, what: string): () => Promise<D | undefined> {
  let opening: Promise<D | undefined> | undefined;
  return () => {
    opening ??= Promise.resolve()
      .then(() => open(() => (opening = undefined)))
      .catch((error: unknown) => {
        if (process.env.NODE_ENV !== 'production') logger.warn(`${messageOf(error)}: ${what} stays in memory`);
        return undefined;
      });
    return opening;
  };
}
