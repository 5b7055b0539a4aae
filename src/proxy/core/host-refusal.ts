import { addressRefusal } from './address-refusal.js';

const DOTTED_IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** Names that never lead to the public internet, whatever a resolver says (RFC 6761, 6762, 8375; ICANN's .internal). */
const LOCAL_NAMES = /(^|\.)(localhost|local|internal|home\.arpa)\.?$/;

/**
 * Why the proxy refuses a target's host before any lookup, or undefined. Works on the host as the
 * URL parser left it, so every spelling of an IPv4 address (2130706433, 0x7f.1, 0177.0.0.1, 127.1)
 * has already become its dotted form, and IPv6 literals their compressed form. Names are checked
 * again after DNS by the runtime's guard (crossroute/proxy/node connects only to checked addresses).
 */
export function hostRefusal(hostname: string): string | undefined {
  if (hostname.startsWith('[')) return addressRefusal(hostname.slice(1, -1));
  if (DOTTED_IPV4.test(hostname)) return addressRefusal(hostname);
  if (LOCAL_NAMES.test(hostname)) return `${hostname} is a local-only name (localhost, .local, .internal, .home.arpa)`;
  return undefined;
}
