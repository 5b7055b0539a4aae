import type { CompiledRule } from './compiled-rule.js';
import { canonicalHost, canonicalOrigin, canonicalPath } from './resource-key.js';
import type { ValidatedRule } from './validate-rules.js';

/** The parts of a request a rule can look at, as Workbox's match callback sees them. */
export interface MatchInput {
  url: URL;
  method: string;
  destination: string;
  mode: string;
  sameOrigin: boolean;
}

// Distinct origins a page talks to are few; the cap only guards against an unbounded map.
const ORIGIN_CACHE_LIMIT = 512;

/**
 * All rules compiled into one lookup keyed by origin: a request costs one map lookup (cached per
 * origin) plus the few rules that can apply to that origin, never a scan over every rule.
 * First match in rule order wins.
 */
export class RuleMatcher {
  readonly #exact = new Map<string, ValidatedRule[]>();
  readonly #subdomains = new Map<string, ValidatedRule[]>();
  readonly #anyOrigin: ValidatedRule[] = [];
  readonly #byOrigin = new Map<string, readonly CompiledRule[]>();
  /** Methods of `routeMethods` some rule can match: with a Workbox Router, one route is registered per method. */
  readonly methods: ReadonlySet<string>;
  /** Whether some rule can match a method outside `routeMethods` (a rule without `method` matches every one). */
  readonly otherMethods: boolean;

  constructor(readonly rules: readonly ValidatedRule[], routeMethods: readonly string[]) {
    const methods = new Set<string>();
    let otherMethods = false;
    for (const rule of rules) {
      for (const method of rule.methods ?? routeMethods) {
        if (routeMethods.includes(method)) methods.add(method);
        else otherMethods = true;
      }
      otherMethods ||= !rule.methods;
      if (!rule.origins) {
        this.#anyOrigin.push(rule);
        continue;
      }
      for (const pattern of rule.origins) {
        const key = pattern.kind === 'exact' ? pattern.origin : subdomainKey(pattern.scheme, pattern.suffix, pattern.port);
        const map = pattern.kind === 'exact' ? this.#exact : this.#subdomains;
        const bucket = map.get(key) ?? [];
        if (bucket[bucket.length - 1] !== rule) bucket.push(rule);
        map.set(key, bucket);
      }
    }
    this.methods = methods;
    this.otherMethods = otherMethods;
  }

  /** Method and URL are compared as resourceKey says (the method as the Fetch Standard normalized it). */
  match(input: MatchInput): CompiledRule | undefined {
    let path: string | undefined;
    for (const rule of this.#candidates(input.url)) {
      if (rule.methods && !rule.methods.has(input.method)) continue;
      if (rule.crossOrigin !== undefined && rule.crossOrigin === input.sameOrigin) continue;
      if (rule.destinations && !rule.destinations.has(input.destination)) continue;
      if (rule.modes && !rule.modes.has(input.mode)) continue;
      if (rule.paths) {
        path ??= canonicalPath(input.url.pathname);
        if (!rule.paths.some((test) => test(path!))) continue;
      }
      return rule;
    }
    return undefined;
  }

  #candidates(url: URL): readonly CompiledRule[] {
    const origin = canonicalOrigin(url);
    let cached = this.#byOrigin.get(origin);
    if (cached) return cached;
    const found = new Set<ValidatedRule>([...(this.#exact.get(origin) ?? []), ...this.#anyOrigin]);
    const labels = canonicalHost(url.hostname).split('.');
    for (let i = 1; i < labels.length; i++) {
      for (const rule of this.#subdomains.get(subdomainKey(url.protocol, labels.slice(i).join('.'), url.port)) ?? []) found.add(rule);
    }
    cached = [...found].sort((a, b) => a.index - b.index);
    if (this.#byOrigin.size >= ORIGIN_CACHE_LIMIT) this.#byOrigin.clear();
    this.#byOrigin.set(origin, cached);
    return cached;
  }
}

function subdomainKey(scheme: string, suffix: string, port: string): string {
  return `${scheme}//${suffix}:${port}`;
}
