/**
 * Headers the proxy decides itself: no target and no options.exposeHeaders entry may set them.
 * Content-Encoding among them: the proxy passes bodies on decoded.
 */
export function isProxyOwned(name: string): boolean {
  return OWNED.has(name) || name.startsWith('access-control-') || name.startsWith('x-crossroute-');
}
const OWNED = new Set(['content-encoding', 'vary', 'x-content-type-options', 'content-security-policy', 'content-security-policy-report-only', 'set-cookie', 'set-cookie2']);
