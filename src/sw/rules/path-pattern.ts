import { CrossrouteError } from '../errors.js';
import { logger } from '../logger.js';
import { canonicalPath, type PathCase } from './resource-key.js';

/** A compiled path test, given the request's canonical path (see resourceKey); exact paths skip the regular expression. */
export type PathTest = (path: string) => boolean;

const DEV = process.env.NODE_ENV !== 'production';

/**
 * `*` matches within one path segment, `**` across segments. The query and fragment are not
 * part of a path: a rule cannot match on them, so they are refused rather than silently ignored;
 * so are `;params`, which resourceKey drops. The pattern is put in the same canonical form as the
 * requests it is tested against (see resourceKey), and the development build says when that changed it.
 */
export function compilePathPattern(pattern: string, field: string, pathCase: PathCase = 'sensitive'): PathTest {
  if (typeof pattern !== 'string' || !pattern.startsWith('/')) {
    throw new CrossrouteError('invalid-path', field, DEV && `${field}: path patterns start with "/" (got ${JSON.stringify(pattern)}). Write e.g. "/collect" or "/assets/*".`);
  }
  if (/[?#]/.test(pattern)) {
    throw new CrossrouteError('invalid-path', field, DEV && `${field}: "${pattern}" contains "?" or "#"; paths are matched without query or fragment. Remove them.`);
  }
  if (pattern.includes(';')) {
    throw new CrossrouteError('invalid-path', field, DEV && `${field}: "${pattern}" contains ";"; path parameters are dropped before matching (/admin;x/ is /admin/). Remove them.`);
  }
  if (/\*{3,}/.test(pattern)) {
    throw new CrossrouteError('invalid-path', field, DEV && `${field}: "${pattern}" has "***"; use "*" (one segment) or "**" (any depth).`);
  }
  // The URL parser percent-encodes and resolves dot segments as it does for a request's path; "*" passes through.
  const parsed = new URL(`http://pattern.invalid${pattern}`).pathname;
  const canonical = canonicalPath(parsed, pathCase);
  // Case folding is what pathCase asked for; anything else the pattern lost is worth a note.
  if (DEV && canonicalPath(parsed) !== pattern) logger.debug(`${field}: "${pattern}" is matched as "${canonicalPath(parsed)}" (see "What a rule sees of a URL" in the README).`);
  if (!canonical.includes('*')) return (path) => (pathCase === 'insensitive' ? path.toLowerCase() : path) === canonical;
  const source = canonical
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`);
  return (path) => regex.test(pathCase === 'insensitive' ? path.toLowerCase() : path);
}
