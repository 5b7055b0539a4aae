import { describe, expect, it } from 'vitest';
import { startLab } from '../../../demo/lab/server.js';
import type { ProxyLogEntry } from '../../../src/proxy/node.js';
import { APP, SHELLS, type ShellName } from './fixtures/shells.js';
import { shellSuite } from './fixtures/suite.js';
import { startUpstream } from './fixtures/upstream.js';

/** The proxy's behaviour against the real lab (and a small upstream for what the lab lacks), in each runtime shell. */
describe.each(SHELLS)('the proxy as %s', (name: ShellName) => {
  const suite = shellSuite(name);
  const { guard } = suite;

  it('reads JSON from a target that sends no CORS headers, and grants CORS to the app origin only', async () => {
    const reply = await suite.proxy.call(`${suite.lab.origin}/no-cors`);
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ endpoint: 'no-cors' });
    expect(reply.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'content-security-policy': "default-src 'none'; sandbox",
      'x-crossroute-upstream-status': '200',
      'x-crossroute-redirects': '0',
    });
    expect(reply.headers.vary).toMatch(/\bOrigin\b/);
    expect(reply.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('follows the seed chain /no-cors-redirect → /cors, checking each hop, and answers with /cors', async () => {
    const reply = await suite.proxy.call(`${suite.lab.origin}/no-cors-redirect`);
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ endpoint: 'cors' });
    expect(reply.headers).toMatchObject({ 'x-crossroute-redirects': '1', 'x-crossroute-upstream-url': `${suite.lab.origin}/cors` });
    // The lab's Vary: Origin is kept once, not doubled.
    expect(reply.headers.vary).toBe('Origin, Sec-Fetch-Dest, Sec-Fetch-Mode');
    expect(suite.lab.records().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /no-cors-redirect', 'GET /cors']);
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('passes %s with its body and content type', async (method) => {
    const reply = await suite.proxy.call(`${suite.lab.origin}/preflight`, { method, headers: { origin: APP, 'content-type': 'application/json' }, body: '{"n":1}' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ method, contentType: 'application/json', body: '{"n":1}' });
  });

  it('passes HEAD: the status and headers, no body', async () => {
    const reply = await suite.proxy.call(`${suite.lab.origin}/assets/data.json`, { method: 'HEAD' });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('');
    expect(suite.lab.records().map((r) => r.method)).toEqual(['HEAD']);
  });

  it('never forwards Cookie, Authorization, Origin, Referer, Sec-* or X-Forwarded-*, and keeps the rest', async () => {
    await suite.proxy.call(`${suite.lab.origin}/no-cors`, {
      headers: {
        origin: APP,
        cookie: 'session=secret',
        authorization: 'Bearer secret',
        referer: `${APP}/private/page`,
        'sec-fetch-site': 'cross-site',
        'x-forwarded-for': '10.0.0.1',
        forwarded: 'for=10.0.0.1',
        connection: 'keep-alive, x-hop',
        'x-hop': 'only for the first hop',
        'x-http-method-override': 'DELETE',
        'x-method-override': 'DELETE',
        'x-custom': 'kept',
        accept: 'application/json',
      },
    });
    const [record] = suite.lab.records();
    const names = Object.keys(record!.headers);
    for (const never of ['cookie', 'authorization', 'origin', 'referer', 'sec-fetch-site', 'x-forwarded-for', 'forwarded', 'x-hop', 'x-http-method-override', 'x-method-override']) {
      expect(names).not.toContain(never);
    }
    expect(record!.headers).toMatchObject({ 'x-custom': 'kept', accept: 'application/json' });
  });

  it('forwards Authorization only where a target rule says so, and drops it when a redirect leaves that origin', async () => {
    await suite.using({ allow: [{ origin: suite.upstream.origin, forwardAuthorization: true }, suite.lab.origin] }, async (shell) => {
      const headers = { origin: APP, authorization: 'Bearer for-upstream', cookie: 'a=b' };
      const reply = await shell.call(`${suite.upstream.origin}/echo`, { headers });
      const direct = JSON.parse(reply.body);
      expect(direct.headers).toMatchObject({ authorization: 'Bearer for-upstream' });
      // A credentialed answer is one user's: no shared cache may keep it.
      expect(reply.headers['cache-control']).toBe('private, no-store');
      expect((await shell.call(`${suite.upstream.origin}/echo`, { headers: { origin: APP } })).headers['cache-control']).toBeUndefined();
      expect(direct.headers.cookie).toBeUndefined();
      const sameOrigin = JSON.parse((await shell.call(`${suite.upstream.origin}/redirect?to=/echo`, { headers })).body);
      expect(sameOrigin.headers.authorization).toBe('Bearer for-upstream');
      await shell.call(`${suite.upstream.origin}/redirect?to=${encodeURIComponent(`${suite.lab.origin}/cors`)}`, { headers });
      expect(suite.lab.records()[0]!.headers.authorization).toBeUndefined();
    });
  });

  it('never sends credentials again after a redirect has left the origin, even when a later hop comes back', async () => {
    const other = await startUpstream();
    try {
      await suite.using(
        { allow: [{ origin: suite.upstream.origin, forwardAuthorization: true, forwardCookie: true }, other.origin], admitLoopbackForTests: [suite.upstream.host, other.host] },
        async (shell) => {
          // upstream → other → upstream/echo: an open redirect elsewhere aiming back at the credentialed origin.
          const back = `${other.origin}/redirect?to=${encodeURIComponent(`${suite.upstream.origin}/echo`)}`;
          const echoed = JSON.parse((await shell.call(`${suite.upstream.origin}/redirect?to=${encodeURIComponent(back)}`, { headers: { origin: APP, authorization: 'Bearer x', cookie: 'a=b' } })).body);
          expect(echoed.headers.authorization).toBeUndefined();
          expect(echoed.headers.cookie).toBeUndefined();
        },
      );
    } finally {
      await other.close();
    }
  });

  it('answers HEAD and null-body statuses whatever Content-Length they declare', async () => {
    await suite.using({ maxResponseBytes: 10 }, async (shell) => {
      const reply = await shell.call(`${suite.upstream.origin}/range`, { method: 'HEAD', headers: { origin: APP } });
      expect(reply.status).toBe(200);
      expect((await shell.call(`${suite.upstream.origin}/range`, { headers: { origin: APP } })).status).toBe(502);
    });
  });

  it('strips Set-Cookie, hop-by-hop fields and headers that would act on the app origin', async () => {
    const reply = await suite.proxy.call(`${suite.upstream.origin}/hostile-headers`);
    expect(reply.status).toBe(200);
    for (const stripped of ['set-cookie', 'strict-transport-security', 'clear-site-data', 'alt-svc', 'service-worker-allowed', 'x-private', 'access-control-allow-credentials']) {
      expect(reply.headers[stripped]).toBeUndefined();
    }
    expect(reply.headers['www-authenticate']).toBeUndefined();
    // An unlisted header stays with the target unless options.exposeHeaders names it.
    expect(reply.headers['x-kept']).toBeUndefined();
    expect(reply.headers).toMatchObject({ 'access-control-allow-origin': APP, 'x-crossroute-upstream-status': '200', vary: 'Accept-Encoding, Origin, Sec-Fetch-Dest, Sec-Fetch-Mode', 'x-content-type-options': 'nosniff' });
    await suite.using({ exposeHeaders: ['X-Kept', 'x-private'] }, async (shell) => {
      const exposed = await shell.call(`${suite.upstream.origin}/hostile-headers`);
      expect(exposed.headers['x-kept']).toBe('yes');
      // Connection still lists x-private as hop-by-hop: exposing it does not bring it back.
      expect(exposed.headers['x-private']).toBeUndefined();
    });
  });

  it('passes Range and the 206 answer', async () => {
    const reply = await suite.proxy.call(`${suite.upstream.origin}/range`, { headers: { origin: APP, range: 'bytes=10-19' } });
    expect(reply.status).toBe(206);
    expect(reply.headers['content-range']).toBe('bytes 10-19/100');
    expect(reply.body).toBe('KLMNOPQRST');
  });

  it('streams the answer: the first bytes reach the caller before the target has finished', async () => {
    const { status, body } = await suite.proxy.open(`${suite.upstream.origin}/drip`);
    expect(status).toBe(200);
    const reader = body[Symbol.asyncIterator]();
    const first = await reader.next();
    expect(Buffer.from(first.value as Uint8Array).toString()).toBe('first;');
    await fetch(`${suite.upstream.origin}/drip-release`);
    let rest = '';
    for (let next = await reader.next(); !next.done; next = await reader.next()) rest += Buffer.from(next.value as Uint8Array).toString();
    expect(rest).toBe('second');
  });

  it('passes an upload of undeclared length (chunked)', async () => {
    const parts = ['one,', 'two,', 'three'].map((part) => new TextEncoder().encode(part));
    const chunked = JSON.parse((await suite.proxy.call(`${suite.upstream.origin}/echo`, { method: 'POST', body: parts })).body);
    expect(chunked.body).toBe('one,two,three');
  });

  it('sends the upload with its Content-Length', async () => {
    const declared = JSON.parse((await suite.proxy.call(`${suite.upstream.origin}/echo`, { method: 'POST', body: 'sized' })).body);
    expect(declared.headers['content-length']).toBe('5');
  });

  it('answers a CORS preflight from an app origin itself', async () => {
    const reply = await suite.proxy.call(`${suite.lab.origin}/preflight`, {
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type, x-custom' },
    });
    expect(reply.status).toBe(204);
    expect(reply.headers).toMatchObject({ 'access-control-allow-origin': APP, 'access-control-allow-headers': 'content-type, x-custom' });
    expect(reply.headers['access-control-allow-methods']).toContain('PUT');
    expect(suite.lab.records()).toEqual([]);
  });

  it('serves a same-origin caller (Sec-Fetch-Site) without CORS headers', async () => {
    const reply = await suite.proxy.call(`${suite.lab.origin}/no-cors`, { headers: { 'sec-fetch-site': 'same-origin' } });
    expect(reply.status).toBe(200);
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers its own errors as JSON { error, reason }, the reason naming the rule', async () => {
    const expectError = async (reply: Promise<{ status: number; body: string; headers: Record<string, string> }>, status: number, error: string, reason: RegExp) => {
      const { status: got, body, headers } = await reply;
      expect({ status: got, ...JSON.parse(body) }).toMatchObject({ status, error });
      expect(JSON.parse(body).reason).toMatch(reason);
      expect(headers['content-type']).toContain('application/json');
      return headers;
    };
    await expectError(suite.proxy.call(null), 400, 'malformed-url', /url parameter is missing/);
    await expectError(suite.proxy.call('/relative'), 400, 'malformed-url', /not an absolute URL/);
    await expectError(suite.proxy.call('https://elsewhere.example/'), 403, 'target-not-allowed', /options\.allow/);
    await expectError(suite.proxy.call(`${suite.lab.origin}/no-cors`, { headers: { origin: 'https://evil.example' } }), 403, 'origin-not-allowed', /appOrigins/);
    const allow = await expectError(suite.proxy.call(`${suite.lab.origin}/no-cors`, { method: 'OPTIONS' }), 405, 'method-not-allowed', /OPTIONS/);
    expect(allow.allow).toBe('GET, HEAD, POST, PUT, PATCH, DELETE');
    // Nothing reached the lab: every refusal came before a connection.
    expect(suite.lab.records()).toEqual([]);
  });

  it('answers 502 when the target cannot be reached, 504 when it is too slow; the connect error goes to the log, not to the caller', async () => {
    const closed = await startLab({ appOrigin: APP });
    const down = closed.origin;
    await closed.close();
    const entries: ProxyLogEntry[] = [];
    await suite.using({ allow: [down, suite.lab.origin], admitLoopbackForTests: [new URL(down).host, new URL(suite.lab.origin).host], timeoutSeconds: 0.3, log: (entry) => entries.push(entry) }, async (shell) => {
      const refused = await shell.call(`${down}/cors`);
      expect(refused.status).toBe(502);
      expect(JSON.parse(refused.body)).toEqual({ error: 'upstream-failed', reason: 'the target could not be reached.' });
      expect(entries[0]).toMatchObject({ error: 'upstream-failed', reason: expect.stringContaining('ECONNREFUSED') });
      const slow = await shell.call(`${suite.lab.origin}/slow?ms=2000`);
      expect(slow.status).toBe(504);
      expect(JSON.parse(slow.body)).toMatchObject({ error: 'upstream-timeout', reason: expect.stringContaining('within 0.3 s (options.timeoutSeconds)') });
    });
  });

  it('hands one log entry per request to options.log', async () => {
    const entries: ProxyLogEntry[] = [];
    await suite.using({ log: (entry) => entries.push(entry) }, async (shell) => {
      await shell.call(`${suite.lab.origin}/no-cors-redirect`);
      await shell.call('https://elsewhere.example/');
    });
    expect(entries).toMatchObject([
      { method: 'GET', target: `${suite.lab.origin}/no-cors-redirect`, origin: APP, status: 200, upstreamStatus: 200, redirects: 1 },
      { status: 403, upstreamStatus: null, error: 'target-not-allowed' },
    ]);
  });

  it('opened sockets to loopback only', () => {
    expect(guard.attempts.length).toBeGreaterThan(0);
    expect(guard.attempts.every((attempt) => attempt.startsWith('127.0.0.1:'))).toBe(true);
  });
});
