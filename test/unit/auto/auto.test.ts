import { describe, expect, it } from 'vitest';
import type { CorsVerdict } from '../../../src/sw/knowledge/cors-fact.js';
import { auto } from '../../../src/sw/policies/auto.js';
import { chooseRoute } from '../../../src/sw/policies/auto/choose-route.js';

const field = 'rules[0].options';
const VERDICTS: CorsVerdict[] = ['granted', 'refused', 'unknown'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT'];

describe("auto's route for a request", () => {
  it('reads in cors mode where the origin grants CORS, or may (the request probes it)', () => {
    expect(chooseRoute({ mode: 'cors', method: 'GET', verdict: 'granted', proxy: true })).toMatchObject({ route: 'cors', then: 'proxy', why: 'the origin grants CORS' });
    expect(chooseRoute({ mode: 'no-cors', method: 'GET', verdict: 'granted', proxy: false })).toMatchObject({ route: 'cors', then: 'no-cors' });
    expect(chooseRoute({ mode: 'no-cors', method: 'GET', verdict: 'unknown', proxy: true })).toMatchObject({ route: 'cors', then: 'proxy', why: 'CORS unknown for the origin: this request probes it' });
    expect(chooseRoute({ mode: 'cors', method: 'GET', verdict: 'unknown', proxy: false })).toMatchObject({ route: 'cors', then: 'probe' });
  });

  it('goes straight to the proxy where the origin refuses CORS: one request', () => {
    for (const mode of ['cors', 'no-cors'] as const) {
      for (const method of METHODS) expect(chooseRoute({ mode, method, verdict: 'refused', proxy: true })).toEqual({ route: 'proxy', why: 'the origin refuses CORS' });
    }
  });

  it('answers opaque only a no-cors request with no readable route', () => {
    expect(chooseRoute({ mode: 'no-cors', method: 'GET', verdict: 'refused', proxy: false }).route).toBe('no-cors');
    for (const verdict of VERDICTS) {
      for (const method of METHODS) {
        for (const proxy of [true, false]) {
          const { route, then } = chooseRoute({ mode: 'cors', method, verdict, proxy });
          expect([route, then], `cors ${method} ${verdict} proxy ${proxy}`).not.toContain('no-cors');
        }
        // A readable route exists (the proxy, or an origin that grants or may grant CORS): never opaque first.
        expect(chooseRoute({ mode: 'no-cors', method: 'GET', verdict, proxy: true }).route).not.toBe('no-cors');
      }
    }
    expect(chooseRoute({ mode: 'no-cors', method: 'GET', verdict: 'unknown', proxy: false })).toMatchObject({ route: 'cors', then: 'no-cors' });
  });

  it('never sends a request that may change something twice', () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      for (const verdict of ['granted', 'unknown'] as const) {
        expect(chooseRoute({ mode: 'cors', method, verdict, proxy: true })).toMatchObject({ route: 'cors', then: 'probe' });
        expect(chooseRoute({ mode: 'no-cors', method, verdict, proxy: true })).toMatchObject({ route: 'no-cors' });
        expect(chooseRoute({ mode: 'no-cors', method, verdict, proxy: true }).then).toBeUndefined();
      }
    }
    // Known to refuse, no proxy: sent as asked, its failure is the answer (no probe: the verdict is known).
    expect(chooseRoute({ mode: 'cors', method: 'GET', verdict: 'refused', proxy: false })).toEqual({ route: 'cors', why: expect.stringMatching(/^the origin refuses CORS and no proxyPath is set/) });
  });

  it('leaves navigations and same-origin requests to the network', () => {
    expect(chooseRoute({ mode: 'navigate', method: 'GET', verdict: 'refused', proxy: true })).toEqual({ route: 'network', why: 'a navigate request is not routed' });
    expect(chooseRoute({ mode: 'same-origin', method: 'GET', verdict: 'granted', proxy: true }).route).toBe('network');
  });
});

describe('auto options', () => {
  it('defaults: no proxy, a day of knowledge, no cache', () => {
    expect(auto.validate({}, field)).toEqual({ proxyPath: undefined, knowledgeTtlMs: 86_400_000, cache: undefined });
  });

  it('takes a proxy path and the cache with its budget', () => {
    expect(auto.validate({ proxyPath: '/__proxy', knowledgeTtlSeconds: 60, cache: true, cacheName: 'tiles', maxEntries: 2000, maxBytes: 10_000_000, maxAgeSeconds: 3600, opaqueTtlSeconds: 600 }, field)).toEqual({
      proxyPath: '/__proxy',
      knowledgeTtlMs: 60_000,
      cache: { cacheName: 'tiles', maxEntries: 2000, maxBytes: 10_000_000, maxAgeSeconds: 3600, opaqueTtlMs: 600_000 },
    });
    expect(auto.validate({ cache: true }, field).cache).toEqual({ cacheName: '', maxEntries: 500, maxBytes: 52_428_800, maxAgeSeconds: 2_592_000, opaqueTtlMs: 86_400_000 });
  });

  it('refuses bad options naming the field and the fix', () => {
    const refusal = (options: object): unknown => {
      try {
        auto.validate(options as never, field);
      } catch (error) {
        return { code: (error as { code: string }).code, field: (error as { field: string }).field, message: (error as Error).message };
      }
      return undefined;
    };
    expect(refusal({ proxyPath: 'https://app.example/__proxy' })).toMatchObject({ code: 'invalid-options', field: `${field}.proxyPath`, message: expect.stringMatching(/a path on the app's own origin/) });
    expect(refusal({ proxyPath: 42 })).toMatchObject({ code: 'invalid-options', field: `${field}.proxyPath` });
    expect(refusal({ maxBytes: 1000 })).toMatchObject({ code: 'invalid-options', field: `${field}.maxBytes`, message: `${field}.maxBytes only applies with cache: true. Add that, or leave maxBytes out.` });
    expect(refusal({ cache: 'yes' })).toMatchObject({ code: 'invalid-options', field: `${field}.cache` });
    expect(refusal({ knowledgeTtlSeconds: 0 })).toMatchObject({ code: 'invalid-options', field: `${field}.knowledgeTtlSeconds` });
    expect(refusal({ corsFallback: 'proxy' })).toMatchObject({ code: 'unknown-key', field: `${field}.corsFallback`, message: expect.stringMatching(/Known options: proxyPath, knowledgeTtlSeconds, cache/) });
  });
});
