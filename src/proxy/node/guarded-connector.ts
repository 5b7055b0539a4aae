import { isIP } from 'node:net';
import type { buildConnector } from 'undici';
import { addressRefusal } from '../core/address-refusal.js';
import { admissionKey, portOf, urlHostnameOf } from '../core/admission-key.js';
import { ProxyFailure } from '../core/proxy-failure.js';
import type { Resolver } from './system-resolver.js';

/** An undici connector: opens the socket for each connection undici makes. */
export type Connector = buildConnector.connector;

export interface AddressGuard {
  resolve: Resolver;
  /** Opens the socket; it is only ever handed an IP address that passed the check. */
  connect: Connector;
  /** admissionKey()s exempt from the check (tests only). */
  admitted: ReadonlySet<string>;
}

/**
 * An undici connector that resolves the host itself, refuses the connection if ANY address is
 * not public (a name that mixes public and private answers is an attack, not a fallback), and
 * then connects to the first checked address, never to the name: there is no second lookup, so
 * no DNS-rebinding window. Every connection of every protocol goes through it, redirects included
 * (one dispatcher for http and https, unlike a pair of Node agents where one can be forgotten).
 */
export function guardedConnector(guard: AddressGuard): Connector {
  return (options, callback) => {
    const port = portOf(options.protocol, options.port);
    checkedAddress(options.hostname, port, guard)
      // `host` keeps the name, so TLS still sends it as SNI and verifies the certificate against it.
      .then((address) => guard.connect({ ...options, hostname: address }, callback))
      .catch((error: Error) => callback(error, null));
  };
}

async function checkedAddress(hostname: string, port: number, guard: AddressGuard): Promise<string> {
  const literal = isIP(hostname) !== 0;
  const addresses = literal ? [hostname] : await guard.resolve(hostname);
  for (const address of addresses) {
    if (guard.admitted.size > 0 && guard.admitted.has(admissionKey(urlHostnameOf(address), port))) continue;
    const refusal = addressRefusal(address);
    if (refusal) {
      // The caller learns the rule, not the internal DNS answer: that goes to options.log.
      throw new ProxyFailure(
        'address-not-allowed',
        403,
        'the target resolves to an address that is not public; the proxy only connects to public addresses.',
        `${literal ? '' : `${hostname} resolves to a refused address: `}${refusal}`,
      );
    }
  }
  const [first] = addresses;
  if (first === undefined) throw new ProxyFailure('upstream-failed', 502, 'the target could not be reached.', `${hostname} resolves to no address`);
  return first;
}
