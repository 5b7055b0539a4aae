import { CrossrouteError } from '../errors.js';

/** A compiled path test; exact paths skip the regular expression. */
export type PathTest = (pathname: string) => boolean;

/**
 * `*` matches within one path segment, `**` across segments. The query and fragment are not
 * part of a path: a rule cannot match on them, so they are refused rather than silently ignored.
 */
export function compilePathPattern(pattern: string, field: string): PathTest {
  if (typeof pattern !== 'string' || !pattern.startsWith('/')) {
    throw new CrossrouteError('invalid-path', field, process.env.NODE_ENV !== 'production' && `${field}: path patterns start with "/" (got ${JSON.stringify(pattern)}). Write e.g. "/collect" or "/assets/*".`);
  }
  if (/[?#]/.test(pattern)) {
    throw new CrossrouteError('invalid-path', field, process.env.NODE_ENV !== 'production' && `${field}: "${pattern}" contains "?" or "#"; paths are matched without query or fragment. Remove them.`);
  }
  if (/\*{3,}/.test(pattern)) {
    throw new CrossrouteError('invalid-path', field, process.env.NODE_ENV !== 'production' && `${field}: "${pattern}" has "***"; use "*" (one segment) or "**" (any depth).`);
  }
  if (!pattern.includes('*')) return (pathname) => pathname === pattern;
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`);
  return (pathname) => regex.test(pathname);
}
