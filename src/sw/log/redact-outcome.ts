import type { Outcome } from '../../model/outcome.js';

/** How the log rewrites URLs before it stores or announces them; the fragment always goes. */
export interface UrlRedaction {
  /** Lower-case names of the query parameters whose values are replaced. */
  params: ReadonlySet<string>;
  /** Only origin and path are kept: the whole query goes. */
  originPath: boolean;
}

/** What a redacted parameter's value becomes. */
export const REDACTED = 'redacted';

// URLs inside free text (a proxy's final URL in `detail`, a redirect's target in a refusal): up to
// whitespace, a quote or an angle bracket, and not ending in the prose's punctuation ("(from URL).").
const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>`]*[^\s"'<>`.,;:)\]]/gi;

/** The outcome with its URL, and every URL inside its `detail` and `changes`, redacted. */
export function redactOutcome(outcome: Outcome, redaction: UrlRedaction): Outcome {
  const text = (line: string): string => line.replace(URL_IN_TEXT, (url) => redactUrl(url, redaction));
  const { detail, changes } = outcome;
  return { ...outcome, url: redactUrl(outcome.url, redaction), ...(detail && { detail: text(detail) }), ...(changes && { changes: changes.map(text) }) };
}

/**
 * Drops the fragment and any user info, then the whole query (originPath) or the values of the
 * listed parameters; the other parameters stay byte for byte. A URL that does not parse keeps
 * nothing after its path.
 */
export function redactUrl(href: string, { params, originPath }: UrlRedaction): string {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return href.replace(/[?#][^]*/, '');
  }
  const path = url.origin + url.pathname;
  if (originPath || url.search === '') return path;
  const pairs = url.search.slice(1).split('&');
  return `${path}?${pairs.map((pair) => (params.has(paramName(pair)) ? `${pair.split('=', 1)[0]}=${REDACTED}` : pair)).join('&')}`;
}

/** A query pair's name as a server reads it (form-decoded), lower-cased for a case-insensitive match. */
function paramName(pair: string): string {
  const name = pair.split('=', 1)[0]!.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(name).toLowerCase();
  } catch {
    return name.toLowerCase();
  }
}
