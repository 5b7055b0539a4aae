import { CrossrouteError } from '../../errors.js';

/** A proxy mount as options name it: a path on the app's own origin. Returns it, or throws naming `field`. */
export function checkProxyPath(path: string, field: string): string {
  if (!/^\/(?!\/)[^?#\\]*$/.test(path)) {
    throw new CrossrouteError(
      'invalid-options',
      field,
      process.env.NODE_ENV !== 'production' && `${field} must be a path on the app's own origin, such as "/__proxy" (no scheme, host, query or fragment; got ${JSON.stringify(path)}).`,
    );
  }
  return path;
}
