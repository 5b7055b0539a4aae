import { CrossrouteError } from '../errors.js';
import { logger } from '../logger.js';
import { canonicalHost, canonicalOrigin } from './resource-key.js';

/** A rule's origin, split so the matcher can index it: exact origins by string, wildcards by suffix. */
export type OriginPattern =
  | { kind: 'exact'; origin: string }
  | { kind: 'subdomains'; scheme: string; suffix: string; port: string };

const DEV = process.env.NODE_ENV !== 'production';
// Stands in for "*" while the URL parser reads the rest of a wildcard pattern.
const PLACEHOLDER = 'crossroute-wildcard';
// "*." with any separator the URL parser treats as a dot (UTS #46 maps the ideographic and fullwidth full stops).
const WILDCARD = /^(https?:\/\/)\*[.\u3002\uff0e\uff61]/i;

/**
 * Parses `scheme://host[:port]` or `scheme://*.host[:port]` with the URL parser, so a pattern is
 * the host the requests will carry: lower case, IDN labels in punycode, fullwidth letters folded,
 * the default port dropped and a trailing dot removed (see resourceKey). The development build says
 * what a pattern became when that differs from what was written. `field` names the place in the rules.
 */
export function parseOriginPattern(value: string, field: string): OriginPattern {
  const wildcard = WILDCARD.exec(value);
  const url = parse(wildcard ? `${wildcard[1]}${PLACEHOLDER}.${value.slice(wildcard[0].length)}` : value, value, field);
  const host = canonicalHost(url.hostname);
  if (host.replace(PLACEHOLDER, '').includes('*')) {
    throw invalid(value, field, DEV && '"*" is only allowed as a whole leading label, as in "https://*.example.com"');
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw invalid(value, field, DEV && 'it has a path, query, fragment or credentials beyond scheme://host:port');
  }
  if (!wildcard) {
    const origin = canonicalOrigin(url);
    if (DEV && origin !== value && `${origin}/` !== value) logger.debug(`${field}: "${value}" is matched as "${origin}".`);
    return { kind: 'exact', origin };
  }
  if (!host.startsWith(`${PLACEHOLDER}.`)) throw invalid(value, field, DEV && 'a wildcard needs a domain name after "*."');
  const suffix = host.slice(PLACEHOLDER.length + 1);
  if (DEV && `${url.protocol}//*.${suffix}${url.port ? `:${url.port}` : ''}` !== value) {
    logger.debug(`${field}: "${value}" is matched as "${url.protocol}//*.${suffix}${url.port ? `:${url.port}` : ''}".`);
  }
  return { kind: 'subdomains', scheme: url.protocol, suffix, port: url.port };
}

function parse(input: string, value: string, field: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw invalid(value, field, DEV && 'it is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(value, field, DEV && `the scheme ${url.protocol} cannot be routed by a service worker`);
  }
  return url;
}

// `why` is false in production builds, where the message is left out.
function invalid(value: string, field: string, why: string | false): CrossrouteError {
  return new CrossrouteError(
    'invalid-origin',
    field,
    DEV && `${field}: "${value}" is not an origin pattern (${why}). Write "https://api.example.com", "http://127.0.0.1:8080" or "https://*.example.com".`,
  );
}
