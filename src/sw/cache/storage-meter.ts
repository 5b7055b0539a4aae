/** Chromium reports usage per storage type; the standard estimate has only the total. */
interface DetailedEstimate extends StorageEstimate {
  usageDetails?: { caches?: number };
}

/**
 * What a cache entry costs in the origin's storage quota. Chromium pads every opaque entry by a
 * random 0–14 MiB (so that its size tells nothing about the cross-origin body), Firefox by less;
 * only `navigator.storage.estimate()` shows the padded figure. So each write is measured: usage
 * before and after it (Cache Storage usage where the browser reports it apart). Callers run
 * measured writes one at a time, or the deltas would mix.
 *
 * When a write cannot be measured (no estimate, or another write freed space meanwhile), an opaque
 * entry counts the mean of this worker's measured opaque entries, or `opaqueBytes` before there is
 * one; a readable entry counts its Content-Length.
 */
export class StorageMeter {
  #opaqueMeasured = { bytes: 0, count: 0 };
  readonly #opaqueBytes: number;
  readonly #measure: boolean;

  constructor(
    opaqueBytes: number,
    measure: boolean,
  ) {
    this.#opaqueBytes = opaqueBytes;
    this.#measure = measure;
  }

  /** The cost to expect for a response not yet stored. */
  expected(response: Response): number {
    if (response.type !== 'opaque') return Number(response.headers.get('content-length')) || 0;
    const { bytes, count } = this.#opaqueMeasured;
    return count > 0 ? Math.round(bytes / count) : this.#opaqueBytes;
  }

  /**
   * Runs `write` (which stores `response`) and returns the bytes the entry costs; `replacedBytes`
   * is what the entry it overwrites cost, freed by the same write.
   */
  async cost(write: () => Promise<void>, response: Response, replacedBytes: number): Promise<number> {
    const before = this.#measure ? await usage() : undefined;
    await write();
    const after = before === undefined ? undefined : await usage();
    const measured = before === undefined || after === undefined ? 0 : after - before + replacedBytes;
    if (measured <= 0) return this.expected(response);
    if (response.type === 'opaque') {
      this.#opaqueMeasured.bytes += measured;
      this.#opaqueMeasured.count += 1;
    }
    return measured;
  }
}

async function usage(): Promise<number | undefined> {
  try {
    const estimate: DetailedEstimate = await navigator.storage.estimate();
    // Where details exist, a missing `caches` means none yet, not "use the total".
    return estimate.usageDetails ? (estimate.usageDetails.caches ?? 0) : estimate.usage;
  } catch {
    return undefined;
  }
}
