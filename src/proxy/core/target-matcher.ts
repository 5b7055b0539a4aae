import { ProxyConfigError } from './proxy-config-error.js';
import type { TargetRule } from './proxy-options.js';

/** An allowlist entry as the proxy uses it: the pattern as written (for messages) and what it forwards. */
export interface AllowedTarget {
  pattern: string;
  forwardAuthorization: boolean;
  forwardCookie: boolean;
}

/** The allowlist entry a URL falls under, if any. */
export type TargetMatcher = (url: URL) => AllowedTarget | undefined;

const SUBDOMAINS = /^(https?:)\/\/\*\.([^/:*?#@]+)(?::(\d{1,5}))?\/?$/i;

/**
 * Compiles the allowlist: exact origins go in a map (one lookup per request), `*.domain` patterns
 * are kept as scheme + host suffix + port. Each bad entry is a startup error naming its index.
 */
export function compileTargets(entries: ReadonlyArray<string | TargetRule>, field: string): TargetMatcher {
  const exact = new Map<string, AllowedTarget>();
  const wildcards: Array<{ scheme: string; suffix: string; port: string; target: AllowedTarget }> = [];
  entries.forEach((entry, index) => {
    const at = `${field}[${index}]`;
    const rule = typeof entry === 'string' ? { origin: entry } : entry;
    if (typeof rule !== 'object' || rule === null || typeof rule.origin !== 'string') {
      throw new ProxyConfigError('invalid-option', `${at} must be an origin string or { origin, forwardAuthorization?, forwardCookie? }.`);
    }
    const unknown = Object.keys(rule).filter((key) => !['origin', 'forwardAuthorization', 'forwardCookie'].includes(key));
    if (unknown.length > 0) throw new ProxyConfigError('unknown-option', `${at}.${unknown[0]} is not a target option. Known: origin, forwardAuthorization, forwardCookie.`);
    for (const flag of ['forwardAuthorization', 'forwardCookie'] as const) {
      if (rule[flag] !== undefined && typeof rule[flag] !== 'boolean') throw new ProxyConfigError('invalid-option', `${at}.${flag} must be true or false.`);
    }
    const target = { pattern: rule.origin, forwardAuthorization: rule.forwardAuthorization === true, forwardCookie: rule.forwardCookie === true };
    const wildcard = SUBDOMAINS.exec(rule.origin);
    if (wildcard) {
      // Parsing a stand-in URL normalises the suffix (case, IDNA) and the port exactly as targets are.
      const sample = parseOrigin(`${wildcard[1]}//x.${wildcard[2]}${wildcard[3] ? `:${wildcard[3]}` : ''}`, at, rule.origin);
      wildcards.push({ scheme: sample.protocol, suffix: sample.hostname.slice(1), port: sample.port, target });
    } else {
      exact.set(parseOrigin(rule.origin, at, rule.origin).origin, target);
    }
  });
  return (url) => {
    const found = exact.get(url.origin);
    if (found || wildcards.length === 0) return found;
    return wildcards.find((w) => w.scheme === url.protocol && w.port === url.port && url.hostname.endsWith(w.suffix))?.target;
  };
}

function parseOrigin(value: string, at: string, written: string): URL {
  const fix = 'Write "https://api.example.com", "http://127.0.0.1:8080" or "https://*.example.com".';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ProxyConfigError('invalid-option', `${at}: ${JSON.stringify(written)} is not an origin. ${fix}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProxyConfigError('invalid-option', `${at}: ${JSON.stringify(written)} has the scheme ${url.protocol}; the proxy only reaches http: and https:. ${fix}`);
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new ProxyConfigError('invalid-option', `${at}: ${JSON.stringify(written)} has more than scheme://host:port (a path, query, fragment or credentials). ${fix}`);
  }
  return url;
}
