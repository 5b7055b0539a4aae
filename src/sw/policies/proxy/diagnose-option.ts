import { CrossrouteError } from '../../errors.js';
import { checkProxyPath } from './check-proxy-path.js';

/**
 * A rule's `diagnose` option: where to ask crossroute's proxy why a cors-mode request failed.
 * true is the default mount "/__proxy", a string is the proxy's path, false (the default) asks nothing.
 */
export function diagnoseOption(value: unknown, field: string): string | false {
  if (value === undefined || value === false) return false;
  if (value === true) return '/__proxy';
  if (typeof value === 'string') return checkProxyPath(value, field);
  throw new CrossrouteError('invalid-options', field, process.env.NODE_ENV !== 'production' && `${field} must be true, false or the proxy's path such as "/__proxy" (got ${typeof value}).`);
}
