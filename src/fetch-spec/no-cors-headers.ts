import type { Header } from './header-list.js';
import { isNoCorsSafelistedRequestHeader } from './header-safelist.js';

/**
 * Names the "request-no-cors" Headers guard would silently drop (at least one value of).
 * The guard checks each append against the value combined so far, so a header can be kept
 * once and dropped on a later append that would push it past the safelist.
 */
export function noCorsDroppedHeaderNames(list: readonly Header[]): string[] {
  const kept = new Map<string, string>();
  const dropped = new Set<string>();
  for (const { name, value } of list) {
    const previous = kept.get(name);
    const combined = previous === undefined ? value : `${previous}, ${value}`;
    if (isNoCorsSafelistedRequestHeader(name, combined)) kept.set(name, combined);
    else dropped.add(name);
  }
  return [...dropped];
}
