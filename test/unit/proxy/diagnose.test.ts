import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../../demo/lab/server.js';
import { diagnose } from '../../../src/doctor/index.js';
import { loopbackOnlyConnector, mappedResolver } from './fixtures/network-guard.js';
import { APP, SHELLS, startShell, type ShellName, type ShellUnderTest } from './fixtures/shells.js';
import { startUpstream, type Upstream } from './fixtures/upstream.js';

/**
 * The proxy's diagnosis endpoint (`POST <proxy>?url=<target>&diagnose`): the CORS doctor run
 * server-side for the caller's Origin, under the proxy's own rules. SAFETY as in ssrf.test.ts:
 * names resolve through a map, and the connector throws for anything outside loopback.
 */
const JSON_HEADERS: Array<[string, string]> = [['content-type', 'application/json']];
const ask = (body: object) => ({ method: 'POST', headers: { origin: APP, 'content-type': 'application/json' }, body: JSON.stringify(body), diagnose: true });

describe.each(SHELLS)('diagnoses, the proxy as %s', (name: ShellName) => {
  let lab: Lab;
  let upstream: Upstream;
  let proxy: ShellUnderTest;
  let authorized = true;
  const guard = loopbackOnlyConnector();

  beforeAll(async () => {
    lab = await startLab({ appOrigin: APP });
    upstream = await startUpstream();
    proxy = await startShell(name, {
      allow: [lab.origin, upstream.origin, 'http://*.attacker.test', 'http://*.attacker.test:8080'],
      appOrigins: [APP],
      admitLoopbackForTests: [new URL(lab.origin).host, upstream.host],
      resolve: mappedResolver({ 'private.attacker.test': ['10.0.0.1'], 'loopback.attacker.test': ['127.0.0.1'] }),
      connect: guard.connect,
      authorize: () => authorized,
      timeoutSeconds: 1,
    });
  });
  afterAll(async () => {
    await proxy?.close();
    await upstream?.close();
    await lab?.close();
  });

  const arrived = () => lab.records().map((record) => `${record.method} ${record.path}`);
  const direct = (path: string, init: { method?: string; headers?: Array<[string, string]> } = {}) =>
    diagnose({ url: `${lab.origin}${path}`, origin: APP, ...init }, { fetch: (url, options) => fetch(url, options) });

  it.each([
    { path: '/no-cors', body: {} },
    { path: '/no-cors-redirect', body: {} },
    { path: '/preflight-405', body: { method: 'POST', headers: JSON_HEADERS } },
    { path: '/missing-allow-headers', body: { method: 'POST', headers: JSON_HEADERS } },
    { path: '/wrong-allow-origin', body: {} },
    { path: '/two-allow-origins', body: {} },
    { path: '/preflight-redirect', body: { method: 'PUT', headers: JSON_HEADERS } },
    { path: '/wildcard-credentials', body: { credentials: 'include' } },
  ])('gives the reason and the fix the doctor gives for $path', async ({ path, body }) => {
    const expected = await direct(path, body as never);
    lab.clear();
    const reply = await proxy.call(`${lab.origin}${path}`, ask(body));
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    const diagnosis = JSON.parse(reply.body);
    expect(diagnosis).toMatchObject({ verdict: 'blocked', failure: { reason: expected.failure!.reason, fix: expected.failure!.fix } });
    expect(diagnosis.steps).toBeUndefined();
    // The doctor's requests, and no more: a preflight that fails stops there.
    expect(arrived().every((line) => line.startsWith('OPTIONS') || line.startsWith('GET'))).toBe(true);
  });

  it('says ok where the browser would read the answer', async () => {
    const reply = await proxy.call(`${lab.origin}/cors`, ask({}));
    expect(JSON.parse(reply.body)).toMatchObject({ verdict: 'ok', crossOrigin: true });
  });

  it('never sends an unsafe actual request: a POST whose preflight passes is unverified, and only OPTIONS arrived', async () => {
    lab.clear();
    const reply = await proxy.call(`${lab.origin}/preflight`, ask({ method: 'PUT', headers: JSON_HEADERS }));
    expect(JSON.parse(reply.body)).toMatchObject({ verdict: 'unverified' });
    expect(arrived()).toEqual(['OPTIONS /preflight']);
  });

  it('sends a placeholder for an Authorization the target rule does not release; the preflight still names it', async () => {
    upstream.requests.length = 0;
    await proxy.call(`${upstream.origin}/echo`, ask({ headers: [['authorization', 'Bearer secret']] }));
    // The upstream grants no CORS, so the preflight fails and the GET never goes; the preflight asked for the header.
    expect(upstream.requests.map((r) => [r.method, r.headers['access-control-request-headers'], r.headers['authorization']])).toEqual([['OPTIONS', 'authorization', undefined]]);
    lab.clear();
    await proxy.call(`${lab.origin}/preflight-401`, ask({ headers: [['authorization', 'Bearer secret']] }));
    expect(lab.records().map((r) => r.headers['authorization'])).not.toContain('Bearer secret');
  });

  it.each([
    { what: 'a target outside the allowlist', target: () => 'http://127.0.0.1:8999/x', status: 403, error: 'target-not-allowed' },
    { what: 'a name resolving to a private address (checked after DNS)', target: () => 'http://private.attacker.test/', status: 403, error: 'address-not-allowed' },
    { what: 'a name resolving to loopback', target: () => 'http://loopback.attacker.test:8080/', status: 403, error: 'address-not-allowed' },
    { what: 'a redirect to a name resolving to a private address', target: () => `${upstream.origin}/redirect?cors&to=${encodeURIComponent('http://private.attacker.test/admin')}`, status: 403, error: 'address-not-allowed' },
    { what: 'a redirect to a name resolving to loopback', target: () => `${upstream.origin}/redirect?cors&to=${encodeURIComponent('http://loopback.attacker.test:8080/')}`, status: 403, error: 'address-not-allowed' },
    { what: 'a redirect outside the allowlist', target: () => `${upstream.origin}/redirect?cors&to=${encodeURIComponent('http://127.0.0.1:8999/')}`, status: 403, error: 'target-not-allowed' },
    { what: 'a slow target', target: () => `${lab.origin}/slow?ms=3000`, status: 504, error: 'upstream-timeout' },
  ])('refuses $what as a proxy request is refused: $status $error', async ({ target, status, error }) => {
    const before = guard.attempts.length;
    const diagnosis = await proxy.call(target(), ask({}));
    const proxied = await proxy.call(target());
    expect({ status: diagnosis.status, error: JSON.parse(diagnosis.body).error }).toEqual({ status, error });
    expect({ status: proxied.status, error: JSON.parse(proxied.body).error }).toEqual({ status, error });
    const admitted = [upstream.host, new URL(lab.origin).host];
    expect(guard.attempts.slice(before).filter((attempt) => !admitted.includes(attempt))).toEqual([]);
  });

  it('checks the caller and authorize first, and asks for POST with a JSON object of known fields', async () => {
    const target = `${lab.origin}/no-cors`;
    const other = await proxy.call(target, { ...ask({}), headers: { origin: 'https://evil.example', 'content-type': 'application/json' } });
    expect([other.status, JSON.parse(other.body).error]).toEqual([403, 'origin-not-allowed']);
    authorized = false;
    const stranger = await proxy.call(target, ask({}));
    authorized = true;
    expect([stranger.status, JSON.parse(stranger.body).error]).toEqual([403, 'not-authorized']);
    const get = await proxy.call(target, { diagnose: true });
    expect([get.status, JSON.parse(get.body).error]).toEqual([405, 'method-not-allowed']);
    for (const body of [{ sendActual: true }, { method: 7 }, { headers: { a: 'b' } }, { method: 'GET', headers: [['bad name', 'x']] }]) {
      const reply = await proxy.call(target, ask(body));
      expect([reply.status, JSON.parse(reply.body).error], JSON.stringify(body)).toEqual([400, 'malformed-diagnosis']);
    }
    const notJson = await proxy.call(target, { ...ask({}), body: 'nope' });
    expect(JSON.parse(notJson.body)).toMatchObject({ error: 'malformed-diagnosis', reason: expect.stringContaining('not JSON') });
    const sameOriginWithoutOrigin = await proxy.call(target, { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' }, body: '{}', diagnose: true });
    expect(JSON.parse(sameOriginWithoutOrigin.body)).toMatchObject({ error: 'malformed-diagnosis', reason: expect.stringContaining('Origin') });
  });

  it('never asked the connector for anything but the admitted test servers', () => {
    const admitted = [upstream.host, new URL(lab.origin).host];
    expect(guard.attempts.filter((attempt) => !admitted.includes(attempt))).toEqual([]);
  });
});
