import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CorsVerdict } from '../../../src/sw/knowledge/cors-fact.js';
import { auto } from '../../../src/sw/policies/auto.js';
import type { AutoOptions } from '../../../src/sw/policies/auto/auto-options.js';
import { chooseRoute } from '../../../src/sw/policies/auto/choose-route.js';
import { APP, handlerFor, stubWorker } from '../../helpers/fake-worker.js';

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
    expect(auto.validate({}, field)).toEqual({ proxyPath: undefined, knowledgeTtlMs: 86_400_000, cache: undefined, diagnose: false });
  });

  it('takes a proxy path and the cache with its budget', () => {
    expect(auto.validate({ proxyPath: '/__proxy', knowledgeTtlSeconds: 60, cache: true, cacheName: 'tiles', maxEntries: 2000, maxBytes: 10_000_000, maxAgeSeconds: 3600, opaqueTtlSeconds: 600 }, field)).toEqual({
      proxyPath: '/__proxy',
      knowledgeTtlMs: 60_000,
      cache: { cacheName: 'tiles', maxEntries: 2000, maxBytes: 10_000_000, maxAgeSeconds: 3600, opaqueTtlMs: 600_000 },
      diagnose: false,
    });
    expect(auto.validate({ cache: true }, field).cache).toEqual({ cacheName: '', maxEntries: 500, maxBytes: 52_428_800, maxAgeSeconds: 2_592_000, opaqueTtlMs: 86_400_000 });
  });

  it('diagnose: true asks the proxy the rule routes through ("/__proxy" without one), a string that path', () => {
    expect(auto.validate({ proxyPath: '/api/proxy', diagnose: true }, field).diagnose).toBe('/api/proxy');
    expect(auto.validate({ diagnose: true }, field).diagnose).toBe('/__proxy');
    expect(auto.validate({ proxyPath: '/api/proxy', diagnose: '/debug/proxy' }, field).diagnose).toBe('/debug/proxy');
    expect(auto.validate({ proxyPath: '/api/proxy', diagnose: false }, field).diagnose).toBe(false);
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
    expect(refusal({ diagnose: 'https://proxy.example/' })).toMatchObject({ code: 'invalid-options', field: `${field}.diagnose` });
    expect(refusal({ diagnose: 1 })).toMatchObject({ code: 'invalid-options', field: `${field}.diagnose` });
    expect(refusal({ corsFallback: 'proxy' })).toMatchObject({ code: 'unknown-key', field: `${field}.corsFallback`, message: expect.stringMatching(/Known options: proxyPath, knowledgeTtlSeconds, cache/) });
  });
});

describe('auto asks the proxy why an origin refused a cors-mode request (diagnose)', () => {
  afterEach(() => vi.unstubAllGlobals());
  const context = { rule: { index: 0, name: 'rule 0' }, sink: { write: async () => undefined } } as never;
  const blocked = { verdict: 'blocked', failure: { reason: 'CORSMissingAllowOrigin', message: 'no Access-Control-Allow-Origin on the answer', fix: `send Access-Control-Allow-Origin: ${APP} on the answer to GET /a` } };

  /**
   * One auto policy of `options` in front of origins that answer but send no CORS headers, and the
   * app's proxy (readable answers, and `blocked` to a diagnosis); `sent` lists what reached either.
   */
  function refusingOrigins(options: AutoOptions) {
    const sent: string[] = [];
    stubWorker((request) => {
      const url = new URL(request.url);
      sent.push(`${request.method} ${url.origin === APP ? `${url.pathname}${url.searchParams.has('diagnose') ? '?diagnose' : ''}` : `${request.url} (${request.mode})`}`);
      if (url.origin === APP) return url.searchParams.has('diagnose') ? Response.json(blocked) : new Response('through the proxy', { headers: { 'x-crossroute-upstream-status': '200' } });
      if (request.mode === 'cors') throw new TypeError('Failed to fetch');
      return new Response('answered without CORS');
    });
    const policy = auto.create(auto.validate(options, field), context);
    return {
      sent,
      async fetch(url: string, init: RequestInit = {}) {
        const { options: handler, settled } = handlerFor(new Request(url, init));
        const response = await policy.handle(handler);
        return { response, note: await settled() };
      },
    };
  }

  it('the first cors-mode read of a refusing origin goes through the proxy and its outcome gets reason and fix; the next asks nothing', async () => {
    const app = refusingOrigins({ proxyPath: '/__proxy', diagnose: true });
    const first = await app.fetch('https://refuses.test/a', { mode: 'cors' });
    expect(await first.response.text()).toBe('through the proxy');
    expect(first.note).toMatchObject({ reason: blocked.failure.reason, fix: blocked.failure.fix, detail: expect.stringMatching(/^proxy: .*upstream 200; no Access-Control-Allow-Origin on the answer$/) });
    expect(app.sent).toEqual(['GET https://refuses.test/a (cors)', 'GET /__proxy', 'POST /__proxy?diagnose']);

    // Known to refuse: straight to the proxy, no refusal seen, no diagnosis.
    const next = await app.fetch('https://refuses.test/b', { mode: 'cors' });
    expect(next.note.reason).toBeUndefined();
    expect(app.sent.slice(3)).toEqual(['GET /__proxy']);
  });

  it('a POST, never sent twice: cors-blocked, with reason and fix, the detail as noted before the diagnosis', async () => {
    const app = refusingOrigins({ proxyPath: '/__proxy', diagnose: true });
    const { response, note } = await app.fetch('https://refuses-post.test/form', { mode: 'cors', method: 'POST', body: 'a=1' });
    expect(response.type).toBe('error');
    expect(note).toMatchObject({ kind: 'cors-blocked', reason: blocked.failure.reason, detail: expect.stringMatching(/^cors: .*the origin answered but refused CORS; a POST is not sent again; no Access-Control-Allow-Origin/) });
    expect(app.sent).toEqual(['POST https://refuses-post.test/form (cors)', 'HEAD https://refuses-post.test/form (no-cors)', 'POST /__proxy?diagnose']);
  });

  it('asks nothing without diagnose, nor for a no-cors request (the page did not ask for CORS)', async () => {
    const quiet = refusingOrigins({ proxyPath: '/__proxy' });
    expect((await quiet.fetch('https://quiet.test/a', { mode: 'cors' })).note.reason).toBeUndefined();
    expect(quiet.sent).toEqual(['GET https://quiet.test/a (cors)', 'GET /__proxy']);

    const image = refusingOrigins({ proxyPath: '/__proxy', diagnose: true });
    expect((await image.fetch('https://images.test/a.png', { mode: 'no-cors' })).note.reason).toBeUndefined();
    expect(image.sent).toEqual(['GET https://images.test/a.png (cors)', 'GET /__proxy']);
  });
});
