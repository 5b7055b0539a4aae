import ipaddr from 'ipaddr.js';
import { admissionKey } from './admission-key.js';
import { ProxyConfigError } from './proxy-config-error.js';

/**
 * Reads `admitLoopbackForTests`: loopback IP literals with a port, nothing wider, so the exemption
 * can let a test reach its own local server and never a private network.
 */
export function admittedSockets(value: unknown, field: string): ReadonlySet<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value)) throw new ProxyConfigError('invalid-option', `${field} must be an array of "127.0.0.1:PORT" strings.`);
  return new Set(
    value.map((entry: unknown, index) => {
      let url: URL | undefined;
      try {
        url = typeof entry === 'string' ? new URL(`http://${entry}`) : undefined;
      } catch {
        url = undefined;
      }
      const host = url?.hostname.replace(/^\[|\]$/g, '') ?? '';
      const port = Number(url?.port);
      if (url === undefined || url.host !== entry || !port || !ipaddr.isValid(host) || ipaddr.parse(host).range() !== 'loopback') {
        throw new ProxyConfigError(
          'invalid-option',
          `${field}[${index}] must be a loopback IP literal with a port, such as "127.0.0.1:8788" or "[::1]:8788" (got ${JSON.stringify(entry)}); it exists for tests only.`,
        );
      }
      return admissionKey(url.hostname, port);
    }),
  );
}
