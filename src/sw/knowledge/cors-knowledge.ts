import { messageOf } from '../errors.js';
import { logger } from '../logger.js';
import type { CorsCase, CorsFact, CorsVerdict, OriginCors } from './cors-fact.js';
import { openKnowledgeDatabase, type KnowledgeDatabase } from './knowledge-database.js';
import { sharedConnection } from '../storage/shared-connection.js';

/** What `consult` says about one request. */
export interface Consultation {
  verdict: CorsVerdict;
  /** When the verdict was learned (epoch ms); absent when unknown. */
  learnedAt?: number;
  /**
   * Present when the verdict is unknown: this request is a probe. Call it once its answer is known:
   * true (the CORS check passed), false (the origin answered and refused), undefined (no answer).
   * Resolves once it is stored (hand it to waitUntil).
   */
  lesson?: (granted: boolean | undefined) => Promise<void>;
}

/** Origins kept; past it, the one learned about longest ago is forgotten. */
const MAX_ORIGINS = 1000;
/** A fact seen again is written again only once it is this old: a readable answer per tile must not cost a write per tile. */
const REFRESH_MS = 60_000;
/** Longest a request waits for another request's probe of the same origin and case. */
const PROBE_WAIT_MS = 10_000;

/**
 * Per-origin CORS knowledge, shared by every policy of the worker (one instance: `corsKnowledge()`):
 * does the origin grant CORS to this app for simple, preflighted and credentialed requests? Learned
 * from answers (a cors-mode answer that passed or failed the CORS check), kept in memory and written
 * through to IndexedDB, so it outlives the worker. A fact older than the caller's TTL is unknown
 * again, so the next request probes the origin anew. While one request probes an unknown case,
 * others for the same origin and case wait for its lesson instead of probing too (a map loads
 * dozens of tiles at once). When IndexedDB fails, the knowledge lives in memory only.
 */
export class CorsKnowledge {
  private readonly origins = new Map<string, OriginCors>();
  private readonly probes = new Map<string, Promise<void>>();
  private loaded: Promise<void> | undefined;

  constructor(
    private readonly database: () => Promise<KnowledgeDatabase | undefined> = sharedDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  /** The verdict for a request of `corsCase` to `origin`; facts older than `ttlMs` are unknown. */
  async consult(origin: string, corsCase: CorsCase, ttlMs: number): Promise<Consultation> {
    await this.ready();
    const key = `${corsCase} ${origin}`;
    const probe = this.probes.get(key);
    if (probe) await Promise.race([probe, new Promise((resolve) => setTimeout(resolve, PROBE_WAIT_MS))]);
    const fact = this.fact(origin, corsCase, ttlMs);
    if (fact) return { verdict: fact.granted ? 'granted' : 'refused', learnedAt: fact.learnedAt };
    let settle!: () => void;
    const mine = !this.probes.has(key);
    if (mine) this.probes.set(key, new Promise<void>((resolve) => (settle = resolve)));
    let done = false;
    return {
      verdict: 'unknown',
      lesson: (granted) => {
        if (done) return Promise.resolve();
        done = true;
        const stored = granted === undefined ? Promise.resolve() : this.remember(origin, corsCase, granted);
        if (mine) {
          this.probes.delete(key);
          settle();
        }
        return stored;
      },
    };
  }

  /** Records what an answer showed; stored in the background (the write's failure only costs durability). */
  learn(origin: string, corsCase: CorsCase, granted: boolean): Promise<void> {
    return this.ready().then(() => this.remember(origin, corsCase, granted));
  }

  /**
   * A case's own fact if fresh, else what the others imply: a refused simple request means every
   * case is refused (each needs the same Allow-Origin on the answer); a granted preflighted or
   * credentialed one means simple requests are granted too.
   */
  private fact(origin: string, corsCase: CorsCase, ttlMs: number): CorsFact | undefined {
    const record = this.origins.get(origin);
    const fresh = (fact: CorsFact | undefined): CorsFact | undefined => (fact && this.now() - fact.learnedAt < ttlMs ? fact : undefined);
    const own = fresh(record?.[corsCase]);
    if (own || !record) return own;
    if (corsCase === 'simple') return [fresh(record.preflighted), fresh(record.credentialed)].find((fact) => fact?.granted);
    const simple = fresh(record.simple);
    return simple && !simple.granted ? simple : undefined;
  }

  private async remember(origin: string, corsCase: CorsCase, granted: boolean): Promise<void> {
    const record = this.origins.get(origin) ?? { origin };
    const known = record[corsCase];
    const now = this.now();
    if (known?.granted === granted && now - known.learnedAt < REFRESH_MS) return;
    const updated: OriginCors = { ...record, [corsCase]: { granted, learnedAt: now } };
    this.origins.delete(origin);
    this.origins.set(origin, updated);
    const forgotten = this.origins.size > MAX_ORIGINS ? this.oldest() : undefined;
    if (forgotten) this.origins.delete(forgotten);
    await this.attempt('write', async (db) => {
      const tx = db.transaction('origins', 'readwrite');
      void tx.store.put(updated);
      if (forgotten) void tx.store.delete(forgotten);
      await tx.done;
    });
  }

  /** The origin whose newest fact is the oldest. */
  private oldest(): string | undefined {
    const newest = (record: OriginCors): number => Math.max(record.simple?.learnedAt ?? 0, record.preflighted?.learnedAt ?? 0, record.credentialed?.learnedAt ?? 0);
    let found: OriginCors | undefined;
    for (const record of this.origins.values()) if (!found || newest(record) < newest(found)) found = record;
    return found?.origin;
  }

  private ready(): Promise<void> {
    this.loaded ??= this.attempt('read', (db) => db.getAll('origins')).then((records) => {
      // Facts learned while loading are newer than the stored ones.
      for (const record of records ?? []) if (!this.origins.has(record.origin)) this.origins.set(record.origin, record);
    });
    return this.loaded;
  }

  private async attempt<T>(what: string, work: (db: KnowledgeDatabase) => Promise<T>): Promise<T | undefined> {
    try {
      const db = await this.database();
      return db ? await work(db) : undefined;
    } catch (error) {
      if (process.env.NODE_ENV !== 'production') logger.warn(`CORS knowledge ${what} failed; it goes on from memory: ${messageOf(error)}`);
      return undefined;
    }
  }
}

/** One connection per worker; a failed open leaves the knowledge in memory. */
const sharedDatabase = /* @__PURE__ */ sharedConnection(openKnowledgeDatabase, 'CORS knowledge');

let shared: CorsKnowledge | undefined;

/** The worker's one CorsKnowledge, created at first use: every policy learns into and reads from it. */
export function corsKnowledge(): CorsKnowledge {
  shared ??= new CorsKnowledge();
  return shared;
}
