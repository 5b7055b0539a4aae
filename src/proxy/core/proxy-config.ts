import { admittedSockets } from './admitted-sockets.js';
import { ProxyConfigError } from './proxy-config-error.js';
import type { ProxyLogEntry, ProxyOptions } from './proxy-options.js';
import { isProxyOwned } from './proxy-owned.js';
import { compileTargets, type TargetMatcher } from './target-matcher.js';

/** ProxyOptions checked and compiled once, at startup. */
export interface ProxyConfig {
  matchTarget: TargetMatcher;
  anyTarget: boolean;
  appOrigins: ReadonlySet<string>;
  methods: ReadonlySet<string>;
  /** The methods as an `Allow` / `Access-Control-Allow-Methods` value. */
  methodList: string;
  maxRequestBytes: number;
  maxResponseBytes: number;
  /** options.timeoutSeconds, in ms. */
  timeoutMs: number;
  /** options.deadlineSeconds, in ms. */
  deadlineMs: number;
  maxInFlight: number;
  maxRedirects: number;
  /** Lower-case names of target headers passed back beside the built-in allowlist. */
  exposeHeaders: ReadonlySet<string>;
  /** admissionKey()s of the loopback addresses tests may reach. */
  admitted: ReadonlySet<string>;
  log: ((entry: ProxyLogEntry) => void) | undefined;
}

const KNOWN = [
  'allow', 'allowAnyTarget', 'appOrigins', 'methods', 'exposeHeaders', 'maxRequestBytes', 'maxResponseBytes', 'timeoutSeconds', 'deadlineSeconds',
  'maxInFlight', 'maxRedirects', 'admitLoopbackForTests', 'log',
];
/** Options of earlier versions, in milliseconds: refused with the name that replaced them. */
const RENAMED: Readonly<Record<string, string>> = { timeoutMs: 'timeoutSeconds', deadlineMs: 'deadlineSeconds' };
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const PROXYABLE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const MiB = 1024 * 1024;

/**
 * Validates the options (every refusal names `options.<field>` and the fix) and compiles them.
 * `shellKeys` are the options the calling runtime shell reads itself (e.g. `fetch`, `resolve`).
 */
export function resolveProxyConfig(options: ProxyOptions, shellKeys: readonly string[]): ProxyConfig {
  if (typeof options !== 'object' || options === null) throw new ProxyConfigError('invalid-option', 'options must be an object such as { allow: ["https://api.example.com"] }.');
  const known = [...KNOWN, ...shellKeys];
  const unknown = Object.keys(options).find((key) => !known.includes(key));
  if (unknown !== undefined) throw unknownOption(unknown, known);

  const allow = list(options.allow, 'allow');
  const anyTarget = options.allowAnyTarget ?? false;
  if (typeof anyTarget !== 'boolean') throw new ProxyConfigError('invalid-option', 'options.allowAnyTarget must be true or false.');
  if (allow.length === 0 && !anyTarget) {
    throw new ProxyConfigError(
      'no-targets',
      'options.allow is empty: the proxy is closed by default. List the target origins it may reach, e.g. allow: ["https://api.example.com"], or set allowAnyTarget: true to reach any public address.',
    );
  }
  const methods = list(options.methods ?? PROXYABLE_METHODS, 'methods').map((method, index) => {
    const upper = typeof method === 'string' ? method.toUpperCase() : '';
    if (!PROXYABLE_METHODS.includes(upper)) throw new ProxyConfigError('invalid-option', `options.methods[${index}] must be one of ${PROXYABLE_METHODS.join(', ')} (got ${JSON.stringify(method)}).`);
    return upper;
  });
  if (options.log !== undefined && typeof options.log !== 'function') throw new ProxyConfigError('invalid-option', 'options.log must be a function (entry) => void.');
  return {
    matchTarget: compileTargets(allow as ReadonlyArray<string>, 'options.allow'),
    anyTarget,
    appOrigins: new Set(list(options.appOrigins, 'appOrigins').map(appOrigin)),
    methods: new Set(methods),
    methodList: methods.join(', '),
    maxRequestBytes: wholeNumber(options.maxRequestBytes, 'maxRequestBytes', MiB, 0, 2 ** 40),
    maxResponseBytes: wholeNumber(options.maxResponseBytes, 'maxResponseBytes', 32 * MiB, 0, 2 ** 40),
    timeoutMs: secondsOption(options.timeoutSeconds, 'timeoutSeconds', 10, 600),
    deadlineMs: secondsOption(options.deadlineSeconds, 'deadlineSeconds', 60, 3600),
    maxInFlight: wholeNumber(options.maxInFlight, 'maxInFlight', 256, 1, 1_000_000),
    maxRedirects: wholeNumber(options.maxRedirects, 'maxRedirects', 5, 0, 20),
    exposeHeaders: new Set(list(options.exposeHeaders, 'exposeHeaders').map(exposedName)),
    admitted: admittedSockets(options.admitLoopbackForTests, 'options.admitLoopbackForTests'),
    log: options.log,
  };
}

function list(value: unknown, field: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ProxyConfigError('invalid-option', `options.${field} must be an array (got ${typeof value}).`);
  return value;
}

function wholeNumber(value: unknown, field: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ProxyConfigError('invalid-option', `options.${field} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)}).`);
  }
  return value;
}

/** A duration in seconds (fractions allowed, at least a millisecond), returned in milliseconds as timers take it. */
export function secondsOption(value: unknown, field: string, fallback: number, max: number): number {
  if (value === undefined) return fallback * 1000;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0.001 || value > max) {
    throw new ProxyConfigError('invalid-option', `options.${field} must be a number of seconds from 0.001 to ${max} (got ${JSON.stringify(value)}).`);
  }
  return value * 1000;
}

/** The refusal of an option the proxy does not know, naming its replacement when it was renamed. */
export function unknownOption(name: string, known: readonly string[]): ProxyConfigError {
  const renamed = RENAMED[name];
  if (renamed !== undefined) return new ProxyConfigError('unknown-option', `options.${name} is now options.${renamed}, in seconds (e.g. ${renamed}: 10 for 10000 ms).`);
  return new ProxyConfigError('unknown-option', `options.${name} is not a proxy option. Known options: ${known.join(', ')}.`);
}

function exposedName(value: unknown, index: number): string {
  const name = typeof value === 'string' ? value.toLowerCase() : '';
  if (!TOKEN.test(name)) throw new ProxyConfigError('invalid-option', `options.exposeHeaders[${index}] must be a header name such as "x-rate-limit-remaining" (got ${JSON.stringify(value)}).`);
  if (isProxyOwned(name)) {
    throw new ProxyConfigError('invalid-option', `options.exposeHeaders[${index}]: ${name} is decided by the proxy itself (CORS, Vary, nosniff, its CSP, cookies, Content-Encoding, x-crossroute-*) and cannot be passed from a target.`);
  }
  return name;
}

function appOrigin(value: unknown, index: number): string {
  const field = `options.appOrigins[${index}]`;
  if (value === 'null') return value;
  let origin: string | undefined;
  try {
    origin = typeof value === 'string' ? new URL(value).origin : undefined;
  } catch {
    origin = undefined;
  }
  // The Origin header is compared as sent, so only the exact serialization (no path, no slash) is accepted.
  if (origin === undefined || origin === 'null' || origin !== value) {
    throw new ProxyConfigError('invalid-option', `${field} must be an origin exactly as browsers send it, such as "https://app.example.com" (no path or trailing slash), or "null"; got ${JSON.stringify(value)}.`);
  }
  return origin;
}
