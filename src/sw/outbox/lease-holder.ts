const LOCK_PREFIX = 'crossroute-outbox-holder:';

/** Who holds the outbox's leases in this worker, and which holders are still alive. */
export interface LeaseHolders {
  /** This holder's id, or null when it cannot prove it is alive (leases then end only with their time). */
  self(): Promise<string | null>;
  /** The holders alive right now; null when that cannot be known. */
  live(): Promise<ReadonlySet<string> | null>;
}

/**
 * Liveness from Web Locks: each worker instance holds a lock named after its id for as long as it
 * lives, and the browser releases it when the worker is stopped or the browser closes. A lease whose
 * holder's lock is gone belongs to a dead sender, so its entries need not wait for the lease's time.
 * Where Web Locks are missing (or refused), every holder is taken to be alive.
 */
export function webLockHolders(locks: LockManager | undefined = globalThis.navigator?.locks): LeaseHolders {
  const id = crypto.randomUUID();
  const self: Promise<string | null> = locks
    ? new Promise((resolve) => {
        // The callback's promise never settles: the lock is held until the worker ends.
        locks.request(`${LOCK_PREFIX}${id}`, () => {
          resolve(id);
          return new Promise<never>(() => undefined);
        }).catch(() => resolve(null));
      })
    : Promise.resolve(null);
  return {
    self: () => self,
    async live() {
      if (!locks || (await self) === null) return null;
      const { held = [] } = await locks.query();
      return new Set(held.flatMap(({ name }) => (name?.startsWith(LOCK_PREFIX) ? [name.slice(LOCK_PREFIX.length)] : [])));
    },
  };
}
