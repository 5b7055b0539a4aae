import { admissionKey, portOf } from './admission-key.js';
import { isBadPort } from './bad-port.js';
import { hostRefusal } from './host-refusal.js';
import type { ProxyConfig } from './proxy-config.js';
import { ProxyFailure } from './proxy-failure.js';
import type { AllowedTarget } from './target-matcher.js';

/**
 * The rules every hop must pass before anything connects: the allowlist, the Fetch Standard's
 * bad ports and the address rules for hosts written as IP literals or local-only names. `what`
 * says which hop, e.g. "the target" or "redirect 2 to". Returns the allowlist entry (undefined
 * when `allowAnyTarget` let an unlisted target through).
 */
export function checkTarget(config: ProxyConfig, url: URL, what: string): AllowedTarget | undefined {
  const rule = config.matchTarget(url);
  if (!rule && !config.anyTarget) {
    throw new ProxyFailure('target-not-allowed', 403, `${what} ${url.origin} is not in the proxy's allowlist (options.allow); add its origin there to proxy it.`);
  }
  const port = portOf(url.protocol, url.port);
  if (config.admitted.size > 0 && config.admitted.has(admissionKey(url.hostname, port))) return rule;
  if (isBadPort(port)) {
    throw new ProxyFailure('port-not-allowed', 403, `${what} ${url.origin} uses port ${port}, which the Fetch Standard blocks (it belongs to a non-HTTP service).`);
  }
  const refusal = hostRefusal(url.hostname);
  if (refusal) {
    throw new ProxyFailure('address-not-allowed', 403, `${what} ${url.origin} is refused: ${refusal}. The proxy only connects to public addresses.`);
  }
  return rule;
}
