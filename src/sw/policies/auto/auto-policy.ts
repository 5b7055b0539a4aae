import { messageOf } from '../../errors.js';
import { BudgetedCache, type CachedEntry } from '../../cache/budgeted-cache.js';
import { reportBudget } from '../../cache/budget-reports.js';
import type { CacheEntryRecord } from '../../cache/cache-entry.js';
import { StorageMeter } from '../../cache/storage-meter.js';
import type { OutcomeNote, Policy, PolicyContext, PolicyHandlerOptions } from '../../contract/policy.js';
import type { CorsCase } from '../../knowledge/cors-fact.js';
import { corsKnowledge, type Consultation } from '../../knowledge/cors-knowledge.js';
import { ago } from '../../knowledge/knowledge-ttl.js';
import { originAnswers } from '../../network/origin-answers.js';
import { buildOutcome } from '../../outcome/build-outcome.js';
import { writeOutcome } from '../../outcome/write-outcome.js';
import { corsCaseOf } from '../cors-case.js';
import { whyNotStored } from '../opaque-cache/why-not-stored.js';
import { proxy } from '../proxy.js';
import { askDiagnosis } from '../proxy/ask-diagnosis.js';
import type { AutoCacheConfig, AutoConfig } from './auto-options.js';
import { chooseRoute, type RouteChoice } from './choose-route.js';

const POLICY = 'auto';
/** What an opaque entry counts when its write cannot be measured: the mean of Chromium's 0–14 MiB padding. */
const OPAQUE_SIZE_BYTES = 7_340_032; // 7 MiB, as a literal: esbuild keeps an unused `**` expression

/** One request: what the handler got, and what the knowledge says of its origin. */
interface Exchange {
  handler: PolicyHandlerOptions;
  request: Request;
  origin: string;
  corsCase: CorsCase;
  known: Consultation;
  choice: RouteChoice;
  note(note: OutcomeNote): void;
}

/** The auto policy of one rule; see AutoOptions and chooseRoute. */
export class AutoPolicy implements Policy {
  private readonly proxy: Policy | undefined;
  private readonly cache: BudgetedCache | undefined;
  private readonly readableCache: string;
  private readonly opaqueCache: string;

  constructor(
    private readonly config: AutoConfig,
    private readonly context: PolicyContext,
  ) {
    this.proxy = config.proxyPath === undefined ? undefined : proxy.create({ proxyPath: config.proxyPath, mode: 'rewrite', credentials: 'same-origin' }, context);
    const name = config.cache?.cacheName || `crossroute-auto:${context.rule.name}`;
    // A readable entry answers a request of any mode; an opaque one only a no-cors request.
    this.readableCache = `${name}:readable`;
    this.opaqueCache = `${name}:no-cors`;
    this.cache = config.cache && this.budgetedCache(name, config.cache);
  }

  async handle(options: PolicyHandlerOptions): Promise<Response> {
    const { request, params } = options;
    // Only subresources: a navigation must never get a cached (perhaps proxied) answer as its document.
    const cacheable = (request.mode === 'cors' || request.mode === 'no-cors') && request.method === 'GET' && !request.headers.has('range');
    if (!this.cache || !cacheable) return this.route(options, params.note);
    const key = request.url.split('#', 1)[0]!;
    const readable = await this.cache.match(this.readableCache, key);
    if (readable) return this.hit(options, readable, 'readable entry');
    const opaque = request.mode === 'no-cors' ? await this.cache.match(this.opaqueCache, key) : undefined;
    const ttl = (this.config.cache as AutoCacheConfig).opaqueTtlMs;
    if (opaque && opaque.record.storedAt > 0 && Date.now() - opaque.record.storedAt < ttl) return this.hit(options, opaque, 'opaque entry (no readable route was found for it)');
    const note: OutcomeNote = {};
    const response = await this.route(options, (n) => Object.assign(note, n));
    if (response.type === 'error' && opaque) return this.hit(options, opaque, `stale opaque entry, served because ${note.detail ?? 'the network failed'}`);
    params.note(note);
    if (note.kind !== undefined || response.type === 'error') return response;
    const refusal = whyNotStored(response, request);
    if (refusal) {
      params.note({ kind: 'cache-refused', detail: `${note.detail}; ${refusal}` });
      return response;
    }
    const opaqueEntry = response.type === 'opaque';
    params.note({ kind: 'cache-miss', detail: `${note.detail}; stored ${opaqueEntry ? 'opaque (padded in the quota)' : `readable (${response.type} ${response.status})`}` });
    options.event.waitUntil(
      this.cache
        .store(opaqueEntry ? this.opaqueCache : this.readableCache, key, response.clone())
        .catch((error: unknown) => this.log(request, undefined, { kind: 'cache-refused', detail: `not stored: ${messageOf(error)}` })),
    );
    return response;
  }

  /**
   * Answers from the network by the route the knowledge points to, then learns from the answer; a
   * cors-mode request that found its origin refusing asks for a diagnosis (option `diagnose`).
   */
  private async route(handler: PolicyHandlerOptions, note: (note: OutcomeNote) => void): Promise<Response> {
    const { request } = handler;
    if (request.mode !== 'cors' && request.mode !== 'no-cors') {
      const why = `network: ${chooseRoute({ mode: request.mode, method: request.method, verdict: 'unknown', proxy: false }).why}`;
      // Its failure is the page's, as without a worker: not a policy failure to send again.
      return fetch(request).then(
        (response) => (note({ detail: why }), response),
        (error: unknown) => (note({ kind: 'network-error', detail: `${why}; ${messageOf(error)}` }), Response.error()),
      );
    }
    const origin = new URL(request.url).origin;
    // A no-cors request is tried in cors mode without the page's cookies: a simple request.
    const corsCase = corsCaseOf(request, request.mode === 'no-cors' ? 'same-origin' : request.credentials);
    const known = await corsKnowledge().consult(origin, corsCase, this.config.knowledgeTtlMs);
    const choice = chooseRoute({ mode: request.mode, method: request.method, verdict: known.verdict, proxy: this.proxy !== undefined });
    const x: Exchange = { handler, request, origin, corsCase, known, choice, note };
    let granted: boolean | undefined;
    try {
      switch (choice.route) {
        case 'proxy':
          return (await this.viaProxy(x, this.because(x))).response;
        case 'no-cors':
          return await this.asMade(x, this.because(x));
        default: {
          const answer = await this.corsAttempt(x);
          granted = answer.granted;
          return answer.response;
        }
      }
    } finally {
      if (x.known.lesson) handler.event.waitUntil(x.known.lesson(granted));
      else if (granted !== undefined) handler.event.waitUntil(corsKnowledge().learn(origin, corsCase, granted));
      const { diagnose } = this.config;
      if (diagnose && granted === false && request.mode === 'cors') handler.params.noteLater?.(askDiagnosis(diagnose, request, request.credentials));
    }
  }

  /** The request in cors mode; when the CORS check fails, what chooseRoute said comes next. */
  private async corsAttempt(x: Exchange): Promise<{ response: Response; granted?: boolean }> {
    const { request } = x;
    const noCors = request.mode === 'no-cors';
    try {
      const response = await fetch(noCors ? new Request(request, { mode: 'cors', credentials: 'same-origin' }) : request);
      x.note({
        detail: `cors: ${this.because(x)}; readable (${response.type} ${response.status})`,
        ...(noCors ? { changes: ['sent in cors mode without cookies (credentials same-origin), so the answer is readable'] } : {}),
      });
      return { response, granted: true };
    } catch (error) {
      const failed = `the cors attempt failed (${messageOf(error)})`;
      switch (x.choice.then) {
        case 'proxy': {
          const { response, reached } = await this.viaProxy(x, `${this.because(x)}; ${failed}`);
          // The proxy reached the origin, so the origin answered: the CORS check was what failed.
          return { response, granted: reached ? false : undefined };
        }
        case 'no-cors': {
          const response = await this.asMade(x, `${this.because(x)}; ${failed}; no proxyPath is set`);
          return { response, granted: response.type === 'opaque' ? false : undefined };
        }
        case 'probe': {
          const reachable = await originAnswers(request.url);
          x.note(
            reachable
              ? { kind: 'cors-blocked', detail: `cors: ${this.because(x)}; the origin answered but refused CORS${this.proxy ? `; a ${request.method} is not sent again` : '; set proxyPath to read it through crossroute/proxy'}` }
              : { kind: 'network-error', detail: `cors: ${this.because(x)}; ${failed}; the origin is unreachable` },
          );
          return { response: Response.error(), granted: reachable ? false : undefined };
        }
        default:
          x.note({ kind: 'cors-blocked', detail: `cors: ${this.because(x)}; ${failed}` });
          return { response: Response.error() };
      }
    }
  }

  /** Through crossroute/proxy: readable whatever CORS the origin sends. `reached`: a target answered. */
  private async viaProxy(x: Exchange, why: string): Promise<{ response: Response; reached: boolean }> {
    const note: OutcomeNote = {};
    const response = await this.proxy!.handle({ ...x.handler, params: { ...x.handler.params, note: (n) => Object.assign(note, n) } });
    x.note({ ...note, detail: `proxy: ${why}; ${note.detail ?? ''}` });
    return { response, reached: note.kind === undefined };
  }

  /** The request as the page made it: in no-cors mode, an opaque answer. */
  private async asMade(x: Exchange, why: string): Promise<Response> {
    try {
      const response = await fetch(x.request);
      x.note({ detail: `no-cors: ${why}; ${response.type === 'opaque' ? 'opaque (status and body hidden)' : response.type}` });
      return response;
    } catch (error) {
      x.note({ kind: 'network-error', detail: `no-cors: ${why}; ${messageOf(error)}` });
      return Response.error();
    }
  }

  /** The reason of the choice, with the fact behind it. */
  private because({ choice, known, corsCase, origin }: Exchange): string {
    return known.verdict === 'unknown' ? `${choice.why} (${corsCase} requests)` : `${choice.why} (${origin}, ${corsCase} requests, learned ${ago(known.learnedAt)})`;
  }

  private hit(options: PolicyHandlerOptions, cached: CachedEntry, what: string): Response {
    options.event.waitUntil(this.cache!.touch(cached.record));
    options.params.note({ kind: 'cache-hit', detail: `${what}, stored ${cached.record.storedAt === 0 ? 'at an unknown time' : ago(cached.record.storedAt)}` });
    return cached.response;
  }

  private budgetedCache(name: string, config: AutoCacheConfig): BudgetedCache {
    const cache = new BudgetedCache({
      name,
      cacheNames: [this.readableCache, this.opaqueCache],
      budget: { maxEntries: config.maxEntries, maxAgeSeconds: config.maxAgeSeconds, maxBytes: config.maxBytes },
      meter: new StorageMeter(OPAQUE_SIZE_BYTES, true),
      onEvict: (record: CacheEntryRecord, reason: string) =>
        this.log(new Request(record.url, { mode: record.opaque ? 'no-cors' : 'cors' }), undefined, { kind: 'evicted', detail: `${reason} (${record.opaque ? 'opaque' : 'readable'}, ${record.size} B counted)` }),
    });
    reportBudget(this.context.rule.name, cache);
    return cache;
  }

  /** An outcome for work no fetch event answers (evictions, failed stores). */
  private log(request: Request, response: Response | undefined, note: OutcomeNote): Promise<void> {
    return writeOutcome(this.context.sink, buildOutcome({ request, ruleIndex: this.context.rule.index, policy: POLICY, time: Date.now(), durationMs: 0, response, note }));
  }
}
