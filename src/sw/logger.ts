/**
 * Development logging. Every call site sits behind `process.env.NODE_ENV !== 'production'`,
 * so the bundler removes both the call and this module from production builds.
 */
const prefix = '[crossroute]';

export const logger = {
  debug: (...args: unknown[]): void => console.debug(prefix, ...args),
  warn: (...args: unknown[]): void => console.warn(prefix, ...args),
  error: (...args: unknown[]): void => console.error(prefix, ...args),
};
