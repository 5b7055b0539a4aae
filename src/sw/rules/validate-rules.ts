import { CrossrouteError } from '../errors.js';
import type { OutcomeSink } from '../contract/outcome-sink.js';
import type { PolicyFactory } from '../contract/policy.js';
import type { CompiledRule } from './compiled-rule.js';
import { parseOriginPattern, type OriginPattern } from './origin-pattern.js';
import { compilePathPattern } from './path-pattern.js';
import { isHttpToken } from '../../fetch-spec/http-syntax.js';
import { isForbiddenMethod, normalizeMethod } from '../../fetch-spec/method.js';
import { logger } from '../logger.js';
import type { PathCase } from './resource-key.js';

export interface ValidatedRule extends CompiledRule {
  /** Absent: the rule applies to every origin. */
  origins?: OriginPattern[];
}

const RULE_KEYS = new Set(['match', 'policy', 'options', 'name']);
const MATCH_KEYS = new Set(['origin', 'path', 'pathCase', 'method', 'destination', 'mode', 'crossOrigin']);
const PATH_CASES = new Set<PathCase>(['sensitive', 'insensitive']);
// The Fetch Standard's request destinations and modes; '' is the destination of fetch() and XHR.
const DESTINATIONS = new Set([
  '', 'audio', 'audioworklet', 'document', 'embed', 'font', 'frame', 'iframe', 'image', 'json', 'manifest',
  'object', 'paintworklet', 'report', 'script', 'serviceworker', 'sharedworker', 'style', 'track', 'video',
  'webidentity', 'worker', 'xslt',
]);
const MODES = new Set(['cors', 'no-cors', 'same-origin', 'navigate']);

/**
 * Checks every rule before anything is registered, so a bad config fails whole at setup with an
 * error naming the rule's index, the field and the fix, instead of misrouting at request time.
 */
export function validateRules(rules: unknown, sink: OutcomeSink): ValidatedRule[] {
  if (!Array.isArray(rules)) {
    throw new CrossrouteError('invalid-rules', 'rules', process.env.NODE_ENV !== 'production' && `rules must be an array of { match, policy } objects (got ${describe(rules)}).`);
  }
  // Every rule is checked before any policy is created: creating one may register listeners, and a
  // config that fails must leave nothing half-registered.
  const checked = rules.map((rule, index) => validateRule(rule, index));
  rejectNameClashes(checked);
  return checked.map(({ factory, options, ...rule }) => ({ ...rule, policy: factory.create(options, { rule: { index: rule.index, name: rule.name }, sink }) }));
}

interface CheckedRule extends Omit<ValidatedRule, 'policy'> {
  factory: PolicyFactory;
  options: unknown;
}

function validateRule(rule: unknown, index: number): CheckedRule {
  const at = `rules[${index}]`;
  if (!isPlainObject(rule)) throw new CrossrouteError('invalid-rule', at, process.env.NODE_ENV !== 'production' && `${at} must be an object { match, policy } (got ${describe(rule)}).`);
  rejectUnknownKeys(rule, RULE_KEYS, at);
  const factory = policyOf(rule['policy'], `${at}.policy`);
  const name = rule['name'] ?? `rule ${index}`;
  if (typeof name !== 'string') throw new CrossrouteError('invalid-rule', `${at}.name`, process.env.NODE_ENV !== 'production' && `${at}.name must be a string (got ${describe(name)}).`);
  const options = rule['options'] ?? {};
  if (!isPlainObject(options)) throw new CrossrouteError('invalid-options', `${at}.options`, process.env.NODE_ENV !== 'production' && `${at}.options must be an object (got ${describe(options)}).`);
  const match = validateMatch(rule['match'], `${at}.match`);
  return { index, name, policyName: factory.name, factory, options: factory.validate(options, `${at}.options`), ...match };
}

function policyOf(value: unknown, at: string): PolicyFactory {
  if (isPlainObject(value) && typeof value['name'] === 'string' && typeof value['validate'] === 'function' && typeof value['create'] === 'function') {
    return value as unknown as PolicyFactory;
  }
  throw new CrossrouteError(
    'invalid-policy',
    at,
    process.env.NODE_ENV !== 'production' &&
      (typeof value === 'string'
        ? `${at}: rules name the policy itself, not its name. Write \`import { ${camelCase(value)} } from 'crossroute/sw'\` and \`policy: ${camelCase(value)}\` (got ${describe(value)}).`
        : `${at} must be a policy: one imported from crossroute/sw (passthrough, cors, block, opaqueCache, beacon, proxy) or your own { name, validate, create } (got ${describe(value)}).`),
  );
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Outcomes name policies: two different policies under one name would make the log ambiguous. */
function rejectNameClashes(rules: readonly CheckedRule[]): void {
  const byName = new Map<string, PolicyFactory>();
  for (const { factory, index } of rules) {
    const seen = byName.get(factory.name);
    if (seen && seen !== factory) {
      throw new CrossrouteError('policy-name-taken', `rules[${index}].policy`, process.env.NODE_ENV !== 'production' && `rules[${index}].policy is named "${factory.name}", like another policy in these rules. Give your policy a name of its own.`);
    }
    byName.set(factory.name, factory);
  }
}

function validateMatch(match: unknown, at: string): Omit<ValidatedRule, 'index' | 'name' | 'policyName' | 'policy'> {
  if (!isPlainObject(match)) {
    throw new CrossrouteError('invalid-match', at, process.env.NODE_ENV !== 'production' && `${at} must be an object such as { origin: "https://api.example.com" } (got ${describe(match)}); use {} to match every request.`);
  }
  rejectUnknownKeys(match, MATCH_KEYS, at);
  const out: Omit<ValidatedRule, 'index' | 'name' | 'policyName' | 'policy'> = {};
  if (match['origin'] !== undefined) out.origins = list(match['origin'], `${at}.origin`).map((o, i) => parseOriginPattern(asString(o, `${at}.origin[${i}]`), `${at}.origin`));
  const pathCase = match['pathCase'] === undefined ? 'sensitive' : [...oneOf(match['pathCase'], PATH_CASES, `${at}.pathCase`)][0] as PathCase;
  if (match['path'] !== undefined) out.paths = list(match['path'], `${at}.path`).map((p, i) => compilePathPattern(asString(p, `${at}.path[${i}]`), `${at}.path`, pathCase));
  if (match['method'] !== undefined) out.methods = new Set(list(match['method'], `${at}.method`).map((m, i) => requestMethod(m, `${at}.method${Array.isArray(match['method']) ? `[${i}]` : ''}`)));
  if (match['destination'] !== undefined) out.destinations = oneOf(match['destination'], DESTINATIONS, `${at}.destination`);
  if (match['mode'] !== undefined) out.modes = oneOf(match['mode'], MODES, `${at}.mode`);
  if (match['crossOrigin'] !== undefined) {
    if (typeof match['crossOrigin'] !== 'boolean') throw new CrossrouteError('invalid-match', `${at}.crossOrigin`, process.env.NODE_ENV !== 'production' && `${at}.crossOrigin must be true or false (got ${describe(match['crossOrigin'])}).`);
    out.crossOrigin = match['crossOrigin'];
  }
  return out;
}

/** A rule's method as a request would carry it; CONNECT, TRACE and TRACK never reach a worker (fetch refuses them). */
function requestMethod(value: unknown, at: string): string {
  const given = asString(value, at);
  if (!isHttpToken(given) || isForbiddenMethod(given)) {
    throw new CrossrouteError(
      'invalid-match',
      at,
      process.env.NODE_ENV !== 'production' &&
        `${at}: ${JSON.stringify(given)} is ${isHttpToken(given) ? 'a forbidden method: fetch() never sends CONNECT, TRACE or TRACK' : 'not an HTTP token'}. Write a method such as "GET", "POST" or "PURGE".`,
    );
  }
  const method = normalizeMethod(given);
  if (process.env.NODE_ENV !== 'production' && method !== given) logger.debug(`${at}: "${given}" is matched as "${method}", as fetch() normalizes it.`);
  if (process.env.NODE_ENV !== 'production' && method !== method.toUpperCase()) {
    logger.debug(`${at}: "${method}" stays lower case: fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT, so it does not match "${method.toUpperCase()}".`);
  }
  return method;
}

function oneOf(value: unknown, allowed: Iterable<string>, at: string): ReadonlySet<string> {
  const valid = new Set(allowed);
  const values = list(value, at);
  values.forEach((v, i) => {
    if (typeof v !== 'string' || !valid.has(v)) {
      const field = `${at}${Array.isArray(value) ? `[${i}]` : ''}`;
      throw new CrossrouteError('invalid-match', field, process.env.NODE_ENV !== 'production' && `${field}: ${describe(v)} is not allowed. Use one of: ${[...valid].map((x) => JSON.stringify(x)).join(', ')}.`);
    }
  });
  return new Set(values as string[]);
}

function list(value: unknown, at: string): unknown[] {
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0) throw new CrossrouteError('invalid-match', at, process.env.NODE_ENV !== 'production' && `${at} is an empty list, which would match nothing. Remove the field to match anything.`);
  return values;
}

function asString(value: unknown, at: string): string {
  if (typeof value !== 'string') throw new CrossrouteError('invalid-match', at, process.env.NODE_ENV !== 'production' && `${at} must be a string (got ${describe(value)}).`);
  return value;
}

function rejectUnknownKeys(object: Record<string, unknown>, known: ReadonlySet<string>, at: string): void {
  for (const key of Object.keys(object)) {
    if (!known.has(key)) {
      throw new CrossrouteError('unknown-key', `${at}.${key}`, process.env.NODE_ENV !== 'production' && `${at}.${key} is not a known field. Known fields: ${[...known].join(', ')}.`);
    }
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof RegExp) return `the RegExp ${String(value)}`;
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
