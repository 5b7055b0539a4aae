import type { ProxyConfig } from './proxy-config.js';
import type { ProxyFailure } from './proxy-failure.js';
import type { ProxyInput } from './proxy-input.js';
import type { UpstreamSummary } from './response-headers.js';

/** Hands one request to options.log; a failing log never fails the request. */
export function reportExchange(config: ProxyConfig, input: ProxyInput, started: number, status: number, outcome: { upstream?: UpstreamSummary; failure?: ProxyFailure }): void {
  if (!config.log) return;
  try {
    config.log({
      method: input.method,
      target: input.target,
      origin: input.header('origin'),
      fetchSite: input.header('sec-fetch-site'),
      status,
      upstreamStatus: outcome.upstream?.status ?? null,
      redirects: outcome.upstream?.redirects ?? 0,
      ...(outcome.failure ? { error: outcome.failure.code, reason: outcome.failure.detail ?? outcome.failure.message } : {}),
      durationMs: Date.now() - started,
    });
  } catch {
    // Logging is the caller's concern; the answer has been decided already.
  }
}
