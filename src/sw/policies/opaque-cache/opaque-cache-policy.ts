import { messageOf } from '../../errors.js';
import { BudgetedCache, type CachedEntry } from '../../cache/budgeted-cache.js';
import { reportBudget } from '../../cache/budget-reports.js';
import type { CacheEntryRecord } from '../../cache/cache-entry.js';
import { StorageMeter } from '../../cache/storage-meter.js';
import { buildOutcome } from '../../outcome/build-outcome.js';
import { writeOutcome } from '../../outcome/write-outcome.js';
import type { OpaqueCacheConfig } from './opaque-cache-options.js';
import { passthrough } from '../passthrough.js';
import { proxy } from '../proxy.js';
import type { OutcomeNote, Policy, PolicyContext, PolicyHandlerOptions } from '../../contract/policy.js';
import { corsUnavailable } from './cors-unavailable.js';
import { fetchForCache } from './fetch-for-cache.js';
import { originAnswers } from '../../network/origin-answers.js';
import { whyNotStored } from './why-not-stored.js';
import { askDiagnosis } from '../proxy/ask-diagnosis.js';
import { corsKnowledge } from '../../knowledge/cors-knowledge.js';
import { ago, KNOWLEDGE_TTL_MS } from '../../knowledge/knowledge-ttl.js';
import { corsCaseOf } from '../cors-case.js';

/** One request on its way through a strategy. */
interface Exchange {
  /** What the dispatcher handed the policy; the CORS fallback gets it as is. */
  handler: PolicyHandlerOptions;
  request: Request;
  /** The request's URL without its fragment, which Cache Storage ignores too. */
  key: string;
  /** The cache for the request's mode. */
  cacheName: string;
  /** The request's origin, as the CORS knowledge keys it. */
  origin: string;
  note(note: OutcomeNote): void;
  waitUntil(promise: Promise<unknown>): void;
}

interface Lookup extends CachedEntry {
  /** Past its TTL (or of unknown age): fetched again, served only when the network fails. */
  stale: boolean;
}

const POLICY = 'opaque-cache';

/** The opaque-cache policy of one rule; see OpaqueCacheOptions. */
export class OpaqueCachePolicy implements Policy {
  readonly #cache: BudgetedCache;
  readonly #noCorsCache: string;
  readonly #corsCache: string;
  readonly #uncached: Policy;
  /** Answers a cors-mode request the origin serves without CORS (corsFallback "proxy"). */
  readonly #corsFallback: Policy | undefined;
  readonly #config: OpaqueCacheConfig;
  readonly #context: PolicyContext;

  constructor(
    config: OpaqueCacheConfig,
    context: PolicyContext,
  ) {
    this.#config = config;
    this.#context = context;
    const name = config.cacheName || `crossroute-cache:${context.rule.name}`;
    this.#noCorsCache = `${name}:no-cors`;
    this.#corsCache = `${name}:cors`;
    this.#cache = new BudgetedCache({
      name,
      cacheNames: [this.#noCorsCache, this.#corsCache],
      budget: { maxEntries: config.maxEntries, maxAgeSeconds: config.maxAgeSeconds, maxBytes: config.maxBytes },
      meter: new StorageMeter(config.opaqueSizeBytes, config.measureSize),
      onEvict: (record, reason) => this.#evicted(record, reason),
    });
    reportBudget(context.rule.name, this.#cache);
    this.#uncached = passthrough.create({}, context);
    this.#corsFallback = config.corsFallback === 'proxy' ? proxy.create({ proxyPath: config.proxyPath, mode: 'rewrite', credentials: 'same-origin' }, context) : undefined;
  }

  handle(options: PolicyHandlerOptions): Promise<Response> {
    const { request, event, params } = options;
    // Cache Storage keeps GET responses only, and whole ones.
    if (request.method !== 'GET' || request.headers.has('range')) {
      params.note({ detail: `not cached: ${request.method === 'GET' ? 'a Range request' : `${request.method} is not GET`}` });
      return this.#uncached.handle(options);
    }
    const exchange: Exchange = {
      handler: options,
      request,
      key: request.url.split('#', 1)[0]!,
      cacheName: request.mode === 'no-cors' ? this.#noCorsCache : this.#corsCache,
      origin: new URL(request.url).origin,
      note: params.note,
      waitUntil: (promise) => event.waitUntil(promise),
    };
    switch (this.#config.strategy) {
      case 'cache-first':
        return this.#cacheFirst(exchange);
      case 'stale-while-revalidate':
        return this.#staleWhileRevalidate(exchange);
      case 'network-first':
        return this.#networkFirst(exchange);
    }
  }

  async #cacheFirst(x: Exchange): Promise<Response> {
    const cached = await this.#lookup(x);
    if (cached && !cached.stale) return this.#hit(x, cached, 'fresh');
    return this.#fromNetwork(x, cached);
  }

  async #staleWhileRevalidate(x: Exchange): Promise<Response> {
    const cached = await this.#lookup(x);
    if (!cached || cached.stale) return this.#fromNetwork(x, cached);
    x.waitUntil(this.#revalidate(x));
    return this.#hit(x, cached, 'fresh; revalidating in the background');
  }

  async #networkFirst(x: Exchange): Promise<Response> {
    const known = await this.#cache.recordOf(x.cacheName, x.key);
    try {
      return await (known && this.#config.networkTimeoutMs > 0 ? this.#inTime(x) : this.#network(x, known !== undefined));
    } catch (error) {
      const cached = await this.#lookup(x);
      if (cached) return this.#hit(x, cached, `the network failed (${messageOf(error)})`);
      return this.#unavailable(x, error);
    }
  }

  /**
   * networkTimeoutSeconds: the cached entry once the network has not answered in time (the late
   * answer is stored and logged as an outcome of its own); else the network's answer.
   */
  async #inTime(x: Exchange): Promise<Response> {
    const timeoutMs = this.#config.networkTimeoutMs;
    const late: OutcomeNote = {};
    const network = this.#network({ ...x, note: (n) => Object.assign(late, n) }, true);
    const settled = network.then(() => true, () => true);
    const cached = (await Promise.race([settled, new Promise<false>((resolve) => setTimeout(resolve, timeoutMs, false))])) ? undefined : await this.#lookup(x);
    if (!cached) return network.then((response) => (x.note(late), response));
    const time = Date.now();
    const started = performance.now();
    x.waitUntil(
      network.then(
        (response) => this.#log(x.request, response, { ...late, detail: `answered after the ${timeoutMs / 1000} s timeout; ${late.detail ?? ''}` }, time, performance.now() - started),
        (error: unknown) => this.#log(x.request, undefined, { kind: 'network-error', detail: `failed after the ${timeoutMs / 1000} s timeout: ${messageOf(error)}` }, time, performance.now() - started),
      ),
    );
    return this.#hit(x, cached, `the network did not answer within ${timeoutMs / 1000} s`);
  }

  /** The network's answer; when it fails, the stale entry if there is one. */
  async #fromNetwork(x: Exchange, stale: Lookup | undefined): Promise<Response> {
    try {
      return await this.#network(x, stale !== undefined);
    } catch (error) {
      if (stale) return this.#hit(x, stale, `stale, served because the network failed (${messageOf(error)})`);
      return this.#unavailable(x, error);
    }
  }

  async #lookup(x: Exchange): Promise<Lookup | undefined> {
    const entry = await this.#cache.match(x.cacheName, x.key);
    // The browser turns a redirected response to a navigation into a network error.
    if (!entry || (x.request.mode === 'navigate' && entry.response.redirected)) return undefined;
    const { storedAt, opaque } = entry.record;
    return { ...entry, stale: storedAt === 0 || (opaque && Date.now() - storedAt > this.#config.opaqueTtlSeconds * 1000) };
  }

  #hit(x: Exchange, cached: Lookup, why: string): Response {
    x.waitUntil(this.#cache.touch(cached.record));
    const age = cached.record.storedAt === 0 ? 'of unknown age' : `stored ${Math.round((Date.now() - cached.record.storedAt) / 1000)} s ago`;
    x.note({ kind: 'cache-hit', detail: `${why}; ${cached.record.opaque ? 'opaque' : 'readable'} entry ${age}` });
    return cached.response;
  }

  /**
   * Fetches in the request's mode and stores what may be stored; a cors-mode request the origin
   * answers without CORS goes to the CORS fallback, if there is one. Rejects when the fetch fails.
   */
  async #network(x: Exchange, replacing: boolean): Promise<Response> {
    if (x.request.mode !== 'cors') return this.#keep(x, await fetchForCache(x.request, this.#config.corsCheck, this.#config.fetchOptions), replacing);
    const corsCase = corsCaseOf(x.request, this.#config.fetchOptions.credentials);
    const known = await corsKnowledge().consult(x.origin, corsCase, KNOWLEDGE_TTL_MS);
    // Known to refuse: straight to the fallback, one request per miss instead of the attempt, the probe and the proxy's.
    if (known.verdict === 'refused' && this.#corsFallback) {
      return this.#throughFallback(x, this.#corsFallback, replacing, `the origin refuses CORS (${corsCase} requests, learned ${ago(known.learnedAt)})`);
    }
    let answered: boolean | undefined;
    try {
      const response = await fetchForCache(x.request, false, this.#config.fetchOptions);
      answered = true;
      if (!known.lesson) x.waitUntil(corsKnowledge().learn(x.origin, corsCase, true));
      return this.#keep(x, response, replacing);
    } catch (error) {
      if (!this.#corsFallback) throw error;
      answered = (await originAnswers(x.request.url)) ? false : undefined;
      if (answered === undefined) throw error;
      if (!known.lesson) x.waitUntil(corsKnowledge().learn(x.origin, corsCase, false));
      return this.#throughFallback(x, this.#corsFallback, replacing, 'the origin refused CORS');
    } finally {
      if (known.lesson) x.waitUntil(known.lesson(answered));
    }
  }

  /** Stores the response in the background if it may be stored, and says so; `via` prefixes the detail. */
  #keep(x: Exchange, response: Response, replacing: boolean, via = ''): Response {
    const refusal = whyNotStored(response, x.request);
    if (refusal) {
      x.note({ kind: 'cache-refused', detail: via + refusal });
      return response;
    }
    x.note({
      kind: replacing ? 'revalidated' : 'cache-miss',
      detail:
        via +
        (response.type === 'opaque'
          ? `stored opaque: status and redirects are hidden, so it is fetched again after ${this.#config.opaqueTtlSeconds} s`
          : `stored (${response.type} ${response.status})`),
    });
    x.waitUntil(this.#store(x, response.clone()));
    return response;
  }

  #store(x: Exchange, response: Response): Promise<void> {
    return this.#cache
      .store(x.cacheName, x.key, response)
      .catch((error: unknown) => this.#log(x.request, undefined, { kind: 'cache-refused', detail: `not stored: ${messageOf(error)}` }));
  }

  /** Stale-while-revalidate's background fetch, recorded as an outcome of its own. */
  async #revalidate(x: Exchange): Promise<void> {
    const time = Date.now();
    const started = performance.now();
    const note: OutcomeNote = {};
    const response = await this.#network({ ...x, note: (n) => Object.assign(note, n) }, true).catch((error: unknown) => {
      Object.assign(note, { kind: 'network-error', detail: `background revalidation failed: ${messageOf(error)}` });
      return undefined;
    });
    await this.#log(x.request, response, note, time, performance.now() - started);
  }

  /**
   * Nothing cached and the fetch failed: a cors-mode request learns whether CORS was the reason
   * (with a CORS fallback, network() has asked already: the origin is unreachable).
   */
  async #unavailable(x: Exchange, error: unknown): Promise<Response> {
    if (x.request.mode === 'cors' && !this.#corsFallback && (await originAnswers(x.request.url))) {
      const detail = 'the origin answered without CORS; an opaque response cannot answer a cors-mode request';
      const { diagnose, fetchOptions } = this.#config;
      x.waitUntil(corsKnowledge().learn(x.origin, corsCaseOf(x.request, fetchOptions.credentials), false));
      x.note({ kind: 'cors-blocked', detail });
      if (diagnose) x.handler.params.noteLater?.(askDiagnosis(diagnose, x.request, fetchOptions.credentials ?? x.request.credentials));
      return corsUnavailable(this.#context.rule, x.request.url);
    }
    x.note({ kind: 'network-error', detail: `${messageOf(error)}; nothing cached for this request` });
    return Response.error();
  }

  /** The proxy's readable answer, kept like a network one; its own failures are its outcome. */
  async #throughFallback(x: Exchange, fallback: Policy, replacing: boolean, why: string): Promise<Response> {
    const note: OutcomeNote = {};
    const response = await fallback.handle({ ...x.handler, params: { ...x.handler.params, note: (n) => Object.assign(note, n) } });
    x.note(note);
    return note.kind === undefined ? this.#keep(x, response, replacing, `${why}; ${note.detail ?? 'through the proxy'}; `) : response;
  }

  #evicted(record: CacheEntryRecord, reason: string): Promise<void> {
    const request = new Request(record.url, { mode: record.cacheName === this.#noCorsCache ? 'no-cors' : 'cors' });
    return this.#log(request, undefined, { kind: 'evicted', detail: `${reason} (${record.opaque ? 'opaque' : 'readable'}, ${record.size} B counted)` });
  }

  /** An outcome for work no fetch event answers (evictions, background revalidations, failed stores). */
  #log(request: Request, response: Response | undefined, note: OutcomeNote, time = Date.now(), durationMs = 0): Promise<void> {
    return writeOutcome(this.#context.sink, buildOutcome({ request, ruleIndex: this.#context.rule.index, policy: POLICY, time, durationMs, response, note }));
  }
}
