import type { Connector } from './guarded-connector.js';
import type { Resolver } from './system-resolver.js';

/** How the Node shell resolves and connects; both are injectable so tests never touch a non-loopback address. */
export interface GuardOptions {
  /** Default: the system resolver (dns.lookup, every address). */
  resolve?: Resolver;
  /** Opens a socket to a checked IP address; default: undici's connector (net / tls). */
  connect?: Connector;
}
