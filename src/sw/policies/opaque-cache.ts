import { CrossrouteError } from '../errors.js';
import { OpaqueCachePolicy } from './opaque-cache/opaque-cache-policy.js';
import { OptionsReader } from './options.js';
import type { PolicyFactory } from '../contract/policy.js';
import { FETCH_OPTIONS, type CacheStrategy, type OpaqueCacheConfig, type OpaqueCacheOptions } from './opaque-cache/opaque-cache-options.js';
import { proxy } from './proxy.js';
import { diagnoseOption } from './proxy/diagnose-option.js';

const DAY = 86_400;
const PROXY_PATH = '/__proxy';

/**
 * Caches third-party subresources, opaque ones included, so they load offline: mode-correct (an
 * opaque entry only ever answers a no-cors request), with a TTL on opaque entries (their status is
 * hidden) and a byte budget that counts the quota padding browsers add to them.
 */
export const opaqueCache: PolicyFactory<OpaqueCacheOptions, OpaqueCacheConfig> = {
  name: 'opaque-cache',
  validate(options, field) {
    const read = new OptionsReader(options, field);
    const config: OpaqueCacheConfig = {
      strategy: read.oneOf<CacheStrategy>('strategy', 'cache-first', ['cache-first', 'stale-while-revalidate', 'network-first']),
      cacheName: read.string('cacheName', ''),
      opaqueTtlSeconds: read.integer('opaqueTtlSeconds', DAY, 1, 3650 * DAY),
      maxAgeSeconds: read.integer('maxAgeSeconds', 30 * DAY, 1, 3650 * DAY),
      maxEntries: read.integer('maxEntries', 200, 1, 1_000_000),
      maxBytes: read.integer('maxBytes', 256 * 2 ** 20, 1, Number.MAX_SAFE_INTEGER),
      opaqueSizeBytes: read.integer('opaqueSizeBytes', 7 * 2 ** 20, 1, Number.MAX_SAFE_INTEGER),
      measureSize: read.boolean('measureSize', true),
      corsCheck: read.boolean('corsCheck', false),
      corsFallback: read.oneOf<'error' | 'proxy'>('corsFallback', 'error', ['error', 'proxy']),
      proxyPath: read.string('proxyPath', PROXY_PATH),
      diagnose: diagnoseOption(read.raw('diagnose'), `${field}.diagnose`),
      networkTimeoutMs: read.seconds('networkTimeoutSeconds', 0, 0, 600),
      fetchOptions: readFetchOptions(read.object<RequestInit>('fetchOptions') ?? {}, `${field}.fetchOptions`),
    };
    read.done();
    if (config.networkTimeoutMs > 0 && config.strategy !== 'network-first') {
      throw new CrossrouteError(
        'invalid-options',
        `${field}.networkTimeoutSeconds`,
        process.env.NODE_ENV !== 'production' && `${field}.networkTimeoutSeconds applies to strategy "network-first" only (got strategy "${config.strategy}").`,
      );
    }
    if (config.corsFallback === 'proxy' && config.diagnose) {
      throw new CrossrouteError(
        'invalid-options',
        `${field}.diagnose`,
        process.env.NODE_ENV !== 'production' && `${field}.diagnose applies with corsFallback "error" only: with "proxy" the proxy answers, and no request is refused.`,
      );
    }
    if (config.corsFallback === 'proxy') proxy.validate({ proxyPath: config.proxyPath }, field);
    else if (config.proxyPath !== PROXY_PATH) {
      throw new CrossrouteError('invalid-options', `${field}.proxyPath`, process.env.NODE_ENV !== 'production' && `${field}.proxyPath only applies with corsFallback: "proxy". Add that, or leave proxyPath out.`);
    }
    return config;
  },
  create: (config, context) => new OpaqueCachePolicy(config, context),
};

function readFetchOptions(options: RequestInit, field: string): RequestInit {
  for (const key of Object.keys(options)) {
    if (!(FETCH_OPTIONS as readonly string[]).includes(key)) {
      throw new CrossrouteError(
        'unknown-key',
        `${field}.${key}`,
        process.env.NODE_ENV !== 'production' && `${field}.${key} cannot be set: the policy keeps the request's mode, method, headers and body as the page made them. Allowed: ${FETCH_OPTIONS.join(', ')}.`,
      );
    }
  }
  return options;
}
