import { beforeEach, describe, expect, it } from 'vitest';
import type { ProxyLogEntry } from '../../../src/proxy/node.js';
import { mappedResolver } from './fixtures/network-guard.js';
import { APP, SHELLS, type ShellName } from './fixtures/shells.js';
import { shellSuite } from './fixtures/suite.js';

/**
 * The findings of the second adversarial review (issue 12), one regression test each, in every
 * shell. SAFETY as in ssrf.test.ts: names resolve through a map, and the connector throws for
 * anything outside loopback.
 */
describe.each(SHELLS)('proxy hardening II, the proxy as %s', (name: ShellName) => {
  const entries: ProxyLogEntry[] = [];
  const suite = shellSuite(name, () => ({ resolve: mappedResolver({ 'db.corp.example': ['10.20.30.40'] }), log: (entry) => entries.push(entry) }));
  const { guard } = suite;
  /** The log entry of the last request, once it is written (the body has settled). */
  async function lastEntry(count: number): Promise<ProxyLogEntry> {
    for (let waited = 0; entries.length < count && waited < 3000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    return entries[count - 1]!;
  }
  beforeEach(() => {
    entries.length = 0;
  });

  describe('response headers, by allowlist', () => {
    it('passes back none of the headers that instruct the browser about the app origin (No-Vary-Search, Use-As-Dictionary, Link, Speculation-Rules...)', async () => {
      const reply = await suite.proxy.call(`${suite.upstream.origin}/browser-headers`);
      expect(reply.status).toBe(200);
      for (const never of ['no-vary-search', 'use-as-dictionary', 'link', 'speculation-rules', 'origin-trial', 'set-login', 'attribution-reporting-register-source', 'shared-storage-write', 'activate-storage-access']) {
        expect(reply.headers[never], never).toBeUndefined();
      }
      expect(reply.headers).toMatchObject({ 'cache-control': 'max-age=600', etag: '"v1"', 'content-type': 'text/html' });
    });

    it("keeps only the proxy's own nosniff and CSP, never the target's ahead of them", async () => {
      const reply = await suite.proxy.call(`${suite.upstream.origin}/browser-headers`);
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(reply.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    });

    it('varies every answer on Sec-Fetch-Dest and Sec-Fetch-Mode, so a navigation never renders what a fetch() cached', async () => {
      const reply = await suite.proxy.call(`${suite.upstream.origin}/browser-headers`);
      expect(reply.headers.vary).toBe('Origin, Sec-Fetch-Dest, Sec-Fetch-Mode');
    });
  });

  describe('request headers', () => {
    it('drops the client-IP family, path overrides and compression-dictionary ids', async () => {
      const dropped = {
        'client-ip': '10.0.0.1', 'x-cluster-client-ip': '10.0.0.1', 'x-originating-ip': '10.0.0.1', 'x-remote-ip': '10.0.0.1', 'x-remote-addr': '10.0.0.1',
        'fastly-client-ip': '10.0.0.1', 'x-original-url': '/admin', 'x-rewrite-url': '/admin', 'x-middleware-subrequest': 'middleware',
        'available-dictionary': ':pZGm1Av0IEBKARczz7exkNYsZb8LzaMrV7J32a2fFG4=:', 'dictionary-id': '"tracker-42"',
      };
      const echoed = JSON.parse((await suite.proxy.call(`${suite.upstream.origin}/echo`, { headers: { origin: APP, ...dropped, accept: 'application/json' } })).body);
      for (const header of Object.keys(dropped)) expect(echoed.headers[header], header).toBeUndefined();
      expect(echoed.headers.accept).toBe('application/json');
    });

    it('never invites a content coding the proxy refuses (a runtime fetch offers deflate of its own)', async () => {
      const echoed = JSON.parse((await suite.proxy.call(`${suite.upstream.origin}/echo`, { headers: { origin: APP, 'accept-encoding': 'zstd, deflate' } })).body);
      const offered = ((echoed.headers['accept-encoding'] as string | undefined) ?? '').split(',').map((token) => token.trim()).filter(Boolean);
      expect(offered.filter((coding) => coding !== 'gzip' && coding !== 'br')).toEqual([]);
    });

    it("keeps custom headers (an API key) to the first target's origin, as Authorization is", async () => {
      const headers = { origin: APP, 'x-api-key': 'secret-key', accept: 'application/json' };
      const sameOrigin = JSON.parse((await suite.proxy.call(`${suite.upstream.origin}/redirect?to=/echo`, { headers })).body);
      expect(sameOrigin.headers['x-api-key']).toBe('secret-key');
      await suite.proxy.call(`${suite.upstream.origin}/redirect?to=${encodeURIComponent(`${suite.lab.origin}/cors`)}`, { headers });
      const [elsewhere] = suite.lab.records();
      expect(elsewhere!.headers['x-api-key']).toBeUndefined();
      expect(elsewhere!.headers.accept).toBe('application/json');
    });

    it('never forwards a header the Connection header lists, Authorization included', async () => {
      await suite.using({ allow: [{ origin: suite.upstream.origin, forwardAuthorization: true, forwardCookie: true }] }, async (shell) => {
        const echoed = JSON.parse((await shell.call(`${suite.upstream.origin}/echo`, { headers: { origin: APP, connection: 'authorization, cookie', authorization: 'Bearer t', cookie: 'a=b' } })).body);
        expect(echoed.headers.authorization).toBeUndefined();
        expect(echoed.headers.cookie).toBeUndefined();
      });
    });
  });

  describe('caps', () => {
    it('never holds more than maxInFlight upstream sockets for stalled targets; past it, 503 proxy-busy with Retry-After', async () => {
      await suite.using({ maxInFlight: 3, timeoutSeconds: 1 }, async (shell) => {
        const peakSockets = suite.upstream.watchSockets();
        const calls = Array.from({ length: 8 }, () => shell.call(`${suite.upstream.origin}/stall`));
        const busy = (await Promise.race([Promise.all(calls.slice(3)), new Promise((resolve) => setTimeout(resolve, 1500, null))])) as Awaited<(typeof calls)[number]>[] | null;
        expect(busy).not.toBeNull();
        for (const reply of busy!) {
          expect(reply.status).toBe(503);
          expect(JSON.parse(reply.body).error).toBe('proxy-busy');
          expect(reply.headers['retry-after']).toBe('1');
        }
        // The stalled three time out, and their slots come back.
        expect((await Promise.all(calls.slice(0, 3))).map((reply) => reply.status)).toEqual([504, 504, 504]);
        expect(suite.upstream.requests.filter((request) => request.path === '/stall')).toHaveLength(3);
        expect(peakSockets()).toBeLessThanOrEqual(3);
        expect((await shell.call(`${suite.lab.origin}/no-cors`)).status).toBe(200);
      });
    });

    it('cuts a body that trickles past deadlineSeconds, though no single pause reaches timeoutSeconds, and logs it as upstream-timeout', async () => {
      await suite.using({ timeoutSeconds: 1, deadlineSeconds: 0.6 }, async (shell) => {
        const started = Date.now();
        const reply = await shell.open(`${suite.upstream.origin}/trickle`);
        expect(reply.status).toBe(200);
        await expect((async () => {
          for await (const _ of reply.body) void _;
        })()).rejects.toThrow();
        expect(Date.now() - started).toBeLessThan(2000);
        expect(await lastEntry(1)).toMatchObject({ status: 200, upstreamStatus: 200, error: 'upstream-timeout' });
      });
    });

    it('ends the exchange of a caller that stops reading at deadlineSeconds: logged as upstream-timeout, its slot freed', async () => {
      await suite.using({ maxInFlight: 1, timeoutSeconds: 5, deadlineSeconds: 0.5 }, async (shell) => {
        const idle = await shell.open(`${suite.upstream.origin}/trickle`);
        expect(idle.status).toBe(200);
        // The answer is never read: only the deadline can end the exchange.
        expect(await lastEntry(1)).toMatchObject({ status: 200, upstreamStatus: 200, error: 'upstream-timeout' });
        expect((await shell.call(`${suite.lab.origin}/no-cors`)).status).toBe(200);
      });
    });
  });

  describe('who may call', () => {
    it('asks options.authorize before revealing anything about targets, and refuses with 403 not-authorized', async () => {
      await suite.using({ authorize: (req) => req.headers['x-session'] === 'valid' }, async (shell) => {
        const stranger = await shell.call('https://elsewhere.example/');
        expect(stranger.status).toBe(403);
        expect(JSON.parse(stranger.body).error).toBe('not-authorized');
        expect((await shell.call(`${suite.lab.origin}/no-cors`, { headers: { origin: APP, 'x-session': 'forged' } })).status).toBe(403);
        expect((await shell.call(`${suite.lab.origin}/no-cors`, { headers: { origin: APP, 'x-session': 'valid' } })).status).toBe(200);
        // A CORS preflight carries no credentials: it is answered without the hook.
        expect((await shell.call(`${suite.lab.origin}/no-cors`, { method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'GET' } })).status).toBe(204);
      });
    });

    it("tells the caller the refusal's code, and only the log the internal DNS answer", async () => {
      await suite.using({ allow: ['http://db.corp.example'] }, async (shell) => {
        const reply = await shell.call('http://db.corp.example/');
        expect(reply.status).toBe(403);
        expect(JSON.parse(reply.body).error).toBe('address-not-allowed');
        expect(reply.body).not.toContain('10.20.30.40');
        expect(await lastEntry(1)).toMatchObject({ error: 'address-not-allowed', reason: expect.stringContaining('db.corp.example resolves to a refused address: 10.20.30.40 is private') });
      });
    });
  });

  describe('bodies', () => {
    it('counts maxResponseBytes in decoded bytes: a gzip bomb is cut at the limit, and the log says so', async () => {
      await suite.using({ maxResponseBytes: 1024 * 1024 }, async (shell) => {
        const reply = await shell.open(`${suite.upstream.origin}/gzip?bytes=${8 * 1024 * 1024}`);
        let received = 0;
        await (async () => {
          for await (const chunk of reply.body) received += chunk.length;
        })().catch(() => undefined);
        expect(received).toBeLessThanOrEqual(1024 * 1024);
        expect(await lastEntry(1)).toMatchObject({ upstreamStatus: 200, error: 'response-too-large' });
      });
    });

    it('passes a gzipped answer decoded, without the Content-Encoding and Content-Length that described the wire', async () => {
      const reply = await suite.proxy.call(`${suite.upstream.origin}/gzip?text=hello`);
      expect(reply.body).toBe('hello');
      expect(reply.headers['content-encoding']).toBeUndefined();
    });

    it('answers a HEAD of a gzip answer whole, without the encoded Content-Length a GET would not have', async () => {
      const reply = await suite.proxy.call(`${suite.upstream.origin}/gzip?text=hello`, { method: 'HEAD' });
      expect([reply.status, reply.body, reply.headers['content-encoding'], reply.headers['content-length']]).toEqual([200, '', undefined, undefined]);
      // A coding the proxy would refuse on a GET: a HEAD has no body to refuse, and no length either.
      const coded = await suite.proxy.call(`${suite.upstream.origin}/coded?coding=zstd&text=hello`, { method: 'HEAD' });
      expect([coded.status, coded.headers['content-encoding'], coded.headers['content-length']]).toEqual([200, undefined, undefined]);
      expect(await lastEntry(1)).not.toHaveProperty('error');
    });

    it('passes a br answer decoded, as gzip', async () => {
      const reply = await suite.proxy.call(`${suite.upstream.origin}/coded?coding=br&text=hello`);
      expect([reply.status, reply.body, reply.headers['content-encoding']]).toEqual([200, 'hello', undefined]);
    });

    it.each(['zstd', 'deflate', 'gzip, br', 'GZIP'])('refuses an answer in a coding not every runtime decodes (%s): 502 upstream-failed, the coding in the log', async (coding) => {
      const reply = await suite.proxy.call(`${suite.upstream.origin}/coded?coding=${encodeURIComponent(coding)}&text=hello`);
      expect([reply.status, JSON.parse(reply.body).error]).toEqual([502, 'upstream-failed']);
      expect(reply.body).not.toContain('hello');
      expect(await lastEntry(1)).toMatchObject({ status: 502, upstreamStatus: null, error: 'upstream-failed', reason: expect.stringContaining(`Content-Encoding "${coding}"`) });
    });

    it('passes a 4 MiB body whole to a reader slower than the target (back-pressure pauses and resumes the target)', async () => {
      const reply = await suite.proxy.open(`${suite.upstream.origin}/chunked?bytes=${4 * 1024 * 1024}`);
      let received = 0;
      let wrong = 0;
      let chunks = 0;
      for await (const chunk of reply.body) {
        received += chunk.length;
        for (const byte of chunk) if (byte !== 120) wrong++;
        // Every 16th chunk the reader waits, so the proxy's connection to it fills.
        if (++chunks % 16 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      }
      expect([received, wrong]).toEqual([4 * 1024 * 1024, 0]);
      expect(await lastEntry(1)).not.toHaveProperty('error');
    });

    it.each([
      ['POST', 307],
      ['POST', 308],
      ['PUT', 307],
      ['PUT', 308],
    ])('sends a %s body again on a %i redirect', async (method, status) => {
      const reply = await suite.proxy.call(`${suite.upstream.origin}/redirect?status=${status}&to=/echo`, { method, headers: { origin: APP, 'content-type': 'application/json' }, body: '{"kept":true}' });
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toMatchObject({ method, body: '{"kept":true}' });
    });
  });

  describe('truthful logs', () => {
    it('writes the log entry once the body is delivered, not when the status goes out', async () => {
      const { body } = await suite.proxy.open(`${suite.upstream.origin}/drip`);
      const reader = body[Symbol.asyncIterator]();
      await reader.next();
      expect(entries).toEqual([]);
      await fetch(`${suite.upstream.origin}/drip-release`);
      for (let next = await reader.next(); !next.done; next = await reader.next());
      expect(await lastEntry(1)).toMatchObject({ status: 200, upstreamStatus: 200 });
      expect(entries[0]!.error).toBeUndefined();
    });

    it('logs a body cut at maxResponseBytes as response-too-large, with the status that went out', async () => {
      await suite.using({ maxResponseBytes: 4096 }, async (shell) => {
        const reply = await shell.open(`${suite.upstream.origin}/chunked?bytes=65536`);
        await (async () => {
          for await (const _ of reply.body) void _;
        })().catch(() => undefined);
        expect(await lastEntry(1)).toMatchObject({ status: 200, upstreamStatus: 200, error: 'response-too-large' });
      });
    });

    it('cuts an oversized body after exactly maxResponseBytes, as a failed read, never a clean end', async () => {
      // 1000 is no multiple of the target's 1024-byte chunks: the chunk that crosses the limit is split.
      await suite.using({ maxResponseBytes: 1000 }, async (shell) => {
        const reply = await shell.open(`${suite.upstream.origin}/chunked?bytes=65536`);
        let received = 0;
        const read = (async () => {
          for await (const chunk of reply.body) received += chunk.length;
        })();
        await expect(read).rejects.toThrow();
        expect(received).toBe(1000);
      });
    });

    it("keeps a cut body's code for its caller at ?exchange=<id> (the answer's x-crossroute-exchange), under the caller check and authorize", async () => {
      await suite.using({ maxResponseBytes: 4096, authorize: (req) => req.headers['x-session'] === 'valid' }, async (shell) => {
        const session = { origin: APP, 'x-session': 'valid' };
        const cut = await shell.open(`${suite.upstream.origin}/chunked?bytes=65536`, { headers: session });
        await (async () => {
          for await (const _ of cut.body) void _;
        })().catch(() => undefined);
        const id = cut.headers['x-crossroute-exchange']!;
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        await lastEntry(1);
        // The worker asks as a same-origin caller, with the app's session.
        const asked = await shell.call(null, { exchange: id, headers: { 'sec-fetch-site': 'same-origin', 'x-session': 'valid' } });
        expect([asked.status, JSON.parse(asked.body)]).toEqual([200, { exchange: id, error: 'response-too-large' }]);
        expect(asked.headers['cache-control']).toBe('no-store');
        const refusal = async (headers: Record<string, string>, method = 'GET', exchange = id) => {
          const reply = await shell.call(null, { exchange, headers, method });
          return [reply.status, JSON.parse(reply.body).error];
        };
        expect(await refusal({ origin: 'https://elsewhere.example', 'sec-fetch-site': 'cross-site', 'x-session': 'valid' })).toEqual([403, 'origin-not-allowed']);
        expect(await refusal({ 'sec-fetch-site': 'same-origin' })).toEqual([403, 'not-authorized']);
        expect(await refusal(session, 'POST')).toEqual([405, 'method-not-allowed']);
        expect(await refusal(session, 'GET', '00000000-0000-4000-8000-000000000000')).toEqual([404, 'exchange-unknown']);
        // A delivered body leaves no record: its id is as unknown as a made-up one.
        const logged = entries.length;
        const whole = await shell.open(`${suite.upstream.origin}/echo`, { headers: session });
        for await (const _ of whole.body) void _;
        expect(await lastEntry(logged + 1)).not.toHaveProperty('error');
        expect(await refusal(session, 'GET', whole.headers['x-crossroute-exchange'])).toEqual([404, 'exchange-unknown']);
      });
    });

    it('declares its limits on every passed-on answer, so the worker can tell a cut by size from one by time', async () => {
      await suite.using({ maxResponseBytes: 4096, timeoutSeconds: 2.5, deadlineSeconds: 30 }, async (shell) => {
        const reply = await shell.call(`${suite.upstream.origin}/echo`);
        const [, bytes, pause, deadline] = /^bytes=(\d+), pause=([\d.]+), deadline=([\d.]+)$/.exec(reply.headers['x-crossroute-limits'] ?? '') ?? [];
        expect([bytes, pause]).toEqual(['4096', '2.5']);
        // What is left of the exchange's deadline when the headers went out.
        expect(Number(deadline)).toBeGreaterThan(25);
        expect(Number(deadline)).toBeLessThanOrEqual(30);
      });
    });
  });

  it('opened sockets to loopback only', () => {
    expect(guard.attempts.every((attempt) => attempt.startsWith('127.0.0.1:'))).toBe(true);
  });
});
