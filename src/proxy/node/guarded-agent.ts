import { Agent, buildConnector } from 'undici';
import { guardedConnector } from './guarded-connector.js';
import type { GuardOptions } from './guard-options.js';
import { systemResolver } from './system-resolver.js';

/**
 * The one undici dispatcher the Node shell reaches targets through. It never follows redirects
 * (the proxy does, checking each hop), keeps connections alive per origin, and gives up on an
 * answer whose headers, or whose body between two chunks, take longer than `timeoutMs` (options.timeoutSeconds, in ms).
 */
export function guardedAgent(guard: GuardOptions, admitted: ReadonlySet<string>, timeoutMs: number): Agent {
  const connect = guardedConnector({
    resolve: guard.resolve ?? systemResolver,
    connect: guard.connect ?? buildConnector({ timeout: timeoutMs }),
    admitted,
  });
  return new Agent({ connect, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
}
