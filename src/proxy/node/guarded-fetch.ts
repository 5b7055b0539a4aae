import { admittedSockets } from '../core/admitted-sockets.js';
import { secondsOption, unknownOption } from '../core/proxy-config.js';
import type { FetchFunction } from '../core/fetch-send.js';
import { agentFetch } from './agent-fetch.js';
import { guardedAgent } from './guarded-agent.js';
import type { GuardOptions } from './guard-options.js';

export interface GuardedFetchOptions extends GuardOptions {
  /** TESTS ONLY: loopback socket addresses the guard lets through, as in ProxyOptions. */
  admitLoopbackForTests?: readonly string[];
  /** Connect, headers and body-pause timeout, in seconds; default 10. */
  timeoutSeconds?: number;
}

const KNOWN = ['resolve', 'connect', 'admitLoopbackForTests', 'timeoutSeconds'];

export interface GuardedFetch extends FetchFunction {
  /** Closes the connection pool. */
  close(): Promise<void>;
}

/**
 * A fetch for `createProxyHandler` on Node: undici's fetch through the guarded dispatcher, so
 * every connection (every redirect hop the handler follows) goes only to checked public addresses.
 */
export function guardedFetch(options: GuardedFetchOptions = {}): GuardedFetch {
  const unknown = Object.keys(options).find((key) => !KNOWN.includes(key));
  if (unknown !== undefined) throw unknownOption(unknown, KNOWN);
  const timeoutMs = secondsOption(options.timeoutSeconds, 'timeoutSeconds', 10, 600);
  const agent = guardedAgent(options, admittedSockets(options.admitLoopbackForTests, 'guardedFetch options.admitLoopbackForTests'), timeoutMs);
  return Object.assign(agentFetch(agent), { close: () => agent.close() });
}
