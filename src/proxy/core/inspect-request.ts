import { checkCaller } from './check-caller.js';
import { checkTarget } from './check-target.js';
import type { ExchangeAbort } from './exchange-abort.js';
import { parseTarget } from './parse-target.js';
import type { ProxyConfig } from './proxy-config.js';
import { findFailure, ProxyFailure } from './proxy-failure.js';
import type { HeaderPairs, ProxyInput } from './proxy-input.js';
import { outgoingHeaders, type OutgoingHeaders } from './request-headers.js';
import { preflightHeaders } from './response-headers.js';
import type { AllowedTarget } from './target-matcher.js';

/** A request that passed every check before the first connection. */
export interface Exchange {
  method: string;
  target: URL;
  rule: AllowedTarget | undefined;
  headers: OutgoingHeaders;
  /** The origin granted CORS on the answer; null for a same-origin caller. */
  corsOrigin: string | null;
  /** Content-Length as declared; null when the body's length is not declared. */
  declaredBytes: number | null;
}

export type Inspection =
  | { kind: 'forward'; exchange: Exchange }
  | { kind: 'preflight'; headers: HeaderPairs }
  | { kind: 'refuse'; failure: ProxyFailure; corsOrigin: string | null };

/**
 * Every decision the proxy can make before connecting, in an order that tells a stranger nothing:
 * method, then caller, then target URL, allowlist and address rules, then the declared body size.
 */
export function inspectRequest(config: ProxyConfig, input: ProxyInput): Inspection {
  let corsOrigin: string | null = null;
  try {
    const method = input.method.toUpperCase();
    const preflightMethod = method === 'OPTIONS' ? input.header('access-control-request-method') : null;
    if (!config.methods.has(preflightMethod ?? method)) {
      throw new ProxyFailure('method-not-allowed', 405, `${preflightMethod ?? method} is not proxied; allowed methods: ${config.methodList} (options.methods).`);
    }
    corsOrigin = checkCaller(config, input);
    if (preflightMethod !== null && corsOrigin !== null) return { kind: 'preflight', headers: preflightHeaders(config, corsOrigin, input.header('access-control-request-headers')) };
    if (preflightMethod !== null) throw new ProxyFailure('method-not-allowed', 405, 'OPTIONS is answered only as a CORS preflight from an app origin.');
    const target = parseTarget(input.target);
    const rule = checkTarget(config, target, 'the target');
    const length = input.header('content-length');
    // Anything but digits is no declaration (node:http refuses such a request before it gets here).
    const declaredBytes = length !== null && /^\d+$/.test(length) ? Number(length) : null;
    if (declaredBytes !== null && declaredBytes > config.maxRequestBytes) throw tooLarge(config);
    return { kind: 'forward', exchange: { method, target, rule, headers: outgoingHeaders(input), corsOrigin, declaredBytes } };
  } catch (error) {
    const failure = findFailure(error);
    if (!failure) throw error;
    return { kind: 'refuse', failure, corsOrigin };
  }
}

/**
 * For a body meter: past options.maxRequestBytes it aborts the exchange with a 413 (the
 * exchange reports the abort reason, whatever error the runtime's upload fails with) and returns
 * it for the meter to error the stream with.
 */
export function abortTooLarge(config: ProxyConfig, abort: ExchangeAbort): () => ProxyFailure {
  return () => {
    const failure = tooLarge(config);
    abort.abort(failure);
    return failure;
  };
}

function tooLarge(config: ProxyConfig): ProxyFailure {
  return new ProxyFailure('request-too-large', 413, `the request body is over ${config.maxRequestBytes} bytes (options.maxRequestBytes).`);
}
