import { type Header, type HeaderListInit, toHeaderList } from './header-list.js';
import { corsSafelistViolation } from './header-safelist.js';
import type { PreflightReason } from './reasons.js';

/** Most bytes the values of the safelisted headers of one request may add up to. */
export const MAX_SAFELISTED_TOTAL_BYTES = 1024;

/** The headers of a request that make it need a preflight, and why. */
export interface CorsUnsafeHeaderAudit {
  /** Sorted, lower-cased, deduplicated: what Access-Control-Request-Headers would carry. */
  readonly names: string[];
  /** One reason per rule a header (or the headers together) breaks. */
  readonly reasons: PreflightReason[];
}

/** "CORS-unsafe request-header names" with the reason for each entry. */
export function auditCorsUnsafeHeaders(list: readonly Header[]): CorsUnsafeHeaderAudit {
  const unsafeNames: string[] = [];
  const potentiallyUnsafeNames: string[] = [];
  const reasons: PreflightReason[] = [];
  let safelistValueSize = 0;
  for (const { name, value } of list) {
    const reason = corsSafelistViolation(name, value);
    if (reason === null) {
      potentiallyUnsafeNames.push(name);
      safelistValueSize += value.length;
    } else {
      unsafeNames.push(name);
      reasons.push(reason);
    }
  }
  // Caps what a page can push at a server without its consent, across all safelisted headers.
  if (safelistValueSize > MAX_SAFELISTED_TOTAL_BYTES) {
    unsafeNames.push(...potentiallyUnsafeNames);
    const names = [...new Set(potentiallyUnsafeNames)];
    reasons.push({
      code: 'safelisted-total-over-1024',
      bytes: safelistValueSize,
      names,
      message: `safelisted header values total ${safelistValueSize} bytes (over ${MAX_SAFELISTED_TOTAL_BYTES}), so ${names.join(', ')} all count as CORS-unsafe`,
    });
  }
  return { names: [...new Set(unsafeNames)].sort(), reasons };
}

/**
 * Fetch "CORS-unsafe request-header names" of a header list: every header that is not
 * CORS-safelisted, plus all safelisted ones when their values total more than 1024 bytes.
 * Forbidden request-headers are not filtered here: pass the list as script would set it.
 */
export function corsUnsafeRequestHeaderNames(headers: HeaderListInit): string[] {
  return auditCorsUnsafeHeaders(toHeaderList(headers)).names;
}
