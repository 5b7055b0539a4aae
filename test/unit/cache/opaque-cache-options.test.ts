import { describe, expect, it } from 'vitest';
import { opaqueCache } from '../../../src/sw/policies/opaque-cache.js';

const field = 'rules[2].options';

describe('opaque-cache options', () => {
  it('defaults to cache-first with a one-day opaque TTL, a measured budget and no cors check', () => {
    expect(opaqueCache.validate({}, field)).toEqual({
      strategy: 'cache-first',
      cacheName: '',
      opaqueTtlSeconds: 86_400,
      maxAgeSeconds: 2_592_000,
      maxEntries: 200,
      maxBytes: 268_435_456,
      opaqueSizeBytes: 7_340_032,
      measureSize: true,
      corsCheck: false,
      corsFallback: 'error',
      proxyPath: '/__proxy',
      diagnose: false,
      networkTimeoutMs: 0,
      fetchOptions: {},
    });
  });

  it('takes every option', () => {
    const options = {
      strategy: 'network-first',
      cacheName: 'third-party',
      opaqueTtlSeconds: 60,
      maxAgeSeconds: 3600,
      maxEntries: 5,
      maxBytes: 50_000_000,
      opaqueSizeBytes: 1_000_000,
      measureSize: false,
      corsCheck: true,
      corsFallback: 'proxy',
      proxyPath: '/api/proxy',
    };
    expect(opaqueCache.validate({ ...options, networkTimeoutSeconds: 2.5, fetchOptions: { credentials: 'omit' }, diagnose: false } as never, field)).toEqual({
      ...options,
      diagnose: false,
      networkTimeoutMs: 2500,
      fetchOptions: { credentials: 'omit' },
    });
  });

  it.each([
    [{ strategy: 'cache-only' }, 'invalid-options', 'rules[2].options.strategy must be one of "cache-first", "stale-while-revalidate", "network-first" (got "cache-only")'],
    [{ opaqueTtlSeconds: 0 }, 'invalid-options', 'rules[2].options.opaqueTtlSeconds must be a whole number from 1 to'],
    [{ maxEntries: 2.5 }, 'invalid-options', 'rules[2].options.maxEntries must be a whole number from 1 to 1000000 (got number 2.5)'],
    [{ maxBytes: '50MB' }, 'invalid-options', 'rules[2].options.maxBytes must be a whole number'],
    [{ measureSize: 'yes' }, 'invalid-options', 'rules[2].options.measureSize must be true or false'],
    [{ cacheName: 7 }, 'invalid-options', 'rules[2].options.cacheName must be a string'],
    [{ maxEntry: 5 }, 'unknown-key', 'rules[2].options.maxEntry is not an option of this policy. Known options: strategy, cacheName'],
    [{ corsFallback: 'cors-anywhere' }, 'invalid-options', 'rules[2].options.corsFallback must be one of "error", "proxy"'],
    [{ corsFallback: 'proxy', proxyPath: 'https://proxy.example/' }, 'invalid-options', 'rules[2].options.proxyPath must be a path on the app\'s own origin'],
    [{ proxyPath: '/api/proxy' }, 'invalid-options', 'rules[2].options.proxyPath only applies with corsFallback: "proxy"'],
    [{ networkTimeoutSeconds: 3 }, 'invalid-options', 'rules[2].options.networkTimeoutSeconds applies to strategy "network-first" only (got strategy "cache-first")'],
    [{ strategy: 'network-first', networkTimeoutSeconds: -1 }, 'invalid-options', 'rules[2].options.networkTimeoutSeconds must be a number of seconds from 0 to 600 (got number -1)'],
    [{ fetchOptions: { mode: 'cors' } }, 'unknown-key', 'rules[2].options.fetchOptions.mode cannot be set: the policy keeps the request\'s mode'],
    [{ fetchOptions: 'omit' }, 'invalid-options', 'rules[2].options.fetchOptions must be an object (got "omit")'],
  ])('refuses %j, naming the field and the fix', (options, code, message) => {
    expect(() => opaqueCache.validate(options as never, field)).toThrow(expect.objectContaining({ name: 'CrossrouteError', code, message: expect.stringContaining(message) }));
  });
});
