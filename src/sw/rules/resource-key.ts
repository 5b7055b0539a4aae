/** How a rule compares path case: as written (the default), or with ASCII case folded. */
export type PathCase = 'sensitive' | 'insensitive';

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
// Separators inside a path: "/", and "%2F" / "%5C", which servers that decode before routing treat as one.
const SEPARATOR = /\/|%2f|%5c/i;

/**
 * What a rule sees of a URL, and so which spellings it treats as one resource (the equivalence the
 * matcher applies, on top of what the URL parser already did: lower-case host, IDN to punycode,
 * fullwidth letters folded, IPv4 spellings, dot segments, default port dropped):
 *
 * - host: one trailing dot removed (`tracker.example.` is `tracker.example` to DNS);
 * - path, segment by segment:
 *   - `%2F` and `%5C` split segments, like "/" (servers that decode before routing do);
 *   - `;params` dropped from every segment (`/admin;x/` is `/admin/`, as Tomcat, Jetty and Spring map it);
 *   - percent-encoded unreserved characters decoded (`%61` is `a`), other escapes upper-cased;
 *   - empty segments removed (`//admin/` is `/admin/`, as nginx's merge_slashes does), then `.` and
 *     `..` resolved again (a decoded `%2F..%2F` may form new ones);
 *   - a trailing "/" kept: `/admin` and `/admin/` stay two resources;
 *   - with `pathCase: 'insensitive'`, ASCII letters folded to lower case;
 * - query and fragment ignored (rules never match on them).
 *
 * Two URLs with the same key are the same resource for every rule.
 */
export function resourceKey(url: URL, pathCase: PathCase = 'sensitive'): string {
  return canonicalOrigin(url) + canonicalPath(url.pathname, pathCase);
}

/** The scheme, host and port part of resourceKey. */
export function canonicalOrigin(url: URL): string {
  return `${url.protocol}//${canonicalHost(url.hostname)}${url.port ? `:${url.port}` : ''}`;
}

/** A parsed hostname as DNS sees it: the root label's trailing dot removed. */
export function canonicalHost(hostname: string): string {
  return hostname.length > 1 && hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
}

/** The path part of resourceKey, for a pathname as the URL parser gives it. */
export function canonicalPath(pathname: string, pathCase: PathCase = 'sensitive'): string {
  const segments: string[] = [];
  let trailing = false;
  for (const raw of pathname.split(SEPARATOR).slice(1)) {
    const segment = decodeUnreserved(raw.split(';', 1)[0]!);
    trailing = segment === '' || segment === '.' || segment === '..';
    if (segment === '..') segments.pop();
    else if (!trailing) segments.push(segment);
  }
  const path = `/${segments.join('/')}${trailing && segments.length > 0 ? '/' : ''}`;
  return pathCase === 'insensitive' ? path.toLowerCase() : path;
}

function decodeUnreserved(segment: string): string {
  return segment.replace(/%([0-9a-f]{2})/gi, (escape, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : escape.toUpperCase();
  });
}
