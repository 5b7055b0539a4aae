import { CrossrouteError } from '../errors.js';

/** A rule's origin, split so the matcher can index it: exact origins by string, wildcards by suffix. */
export type OriginPattern =
  | { kind: 'exact'; origin: string }
  | { kind: 'subdomains'; scheme: string; suffix: string; port: string };

const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * Parses `scheme://host[:port]` or `scheme://*.host[:port]`. `field` names the place in the
 * rules, so the error can say where the bad value is.
 */
export function parseOriginPattern(value: string, field: string): OriginPattern {
  const wildcard = /^(https?):\/\/\*\.([^/:*]+)(?::(\d+))?\/?$/i.exec(value);
  if (wildcard) {
    const scheme = `${wildcard[1]!.toLowerCase()}:`;
    const suffix = wildcard[2]!.toLowerCase();
    const port = wildcard[3] && wildcard[3] !== DEFAULT_PORT[scheme] ? wildcard[3] : '';
    return { kind: 'subdomains', scheme, suffix, port };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(value, field, 'it is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(value, field, `the scheme ${url.protocol} cannot be routed by a service worker`);
  }
  if (url.hostname.includes('*')) {
    throw invalid(value, field, '"*" is only allowed as a whole leading label, as in "https://*.example.com"');
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw invalid(value, field, 'it has a path, query, fragment or credentials beyond scheme://host:port');
  }
  return { kind: 'exact', origin: url.origin };
}

function invalid(value: string, field: string, why: string): CrossrouteError {
  return new CrossrouteError(
    'invalid-origin',
    field,
    process.env.NODE_ENV !== 'production' &&
      `${field}: "${value}" is not an origin pattern (${why}). Write "https://api.example.com", "http://127.0.0.1:8080" or "https://*.example.com".`,
  );
}
