/**
 * The CORS doctor engine against the real lab (demo/lab), in process, over Node's fetch on
 * loopback: every seed 000 / 004 scenario of the README's table and the lab's CORS mistakes, each
 * with the reason browsers report and the fix. Whether browsers really fail where the doctor says
 * they do is test/e2e/doctor.test.ts's business.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../../demo/lab/server.js';
import { diagnose, DoctorError, type DoctorRequest } from '../../../src/doctor/index.js';
import { failingScenarios, JSON_TYPE, OK_SCENARIOS } from './lab-scenarios.js';

const APP = 'http://localhost:1234';

describe('the CORS doctor against the lab', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ port: 0, appOrigin: APP });
  });
  afterAll(() => lab.close());
  beforeEach(() => lab.clear());

  const run = (path: string, request: Partial<DoctorRequest> = {}) =>
    diagnose({ url: `${lab.origin}${path}`, origin: APP, ...request }, { fetch: (url, init) => fetch(url, init) });
  const arrived = () => lab.records().map((record) => `${record.method} ${record.path}`);

  it.each(OK_SCENARIOS)('%s: ok, %i request step(s), each CORS check passed', async (path, request, count) => {
    const diagnosis = await run(path, request);
    expect(diagnosis).toMatchObject({ verdict: 'ok', crossOrigin: true, preflightReasons: [] });
    expect(diagnosis.failure).toBeUndefined();
    expect(diagnosis.steps.map((step) => [step.kind, step.result])).toEqual(Array(count).fill(['request', 'passed']));
    expect(diagnosis.steps[0]!.sent.headers).toContainEqual(['origin', APP]);
  });

  it('seed 004 /preflight: OPTIONS with the request method and headers, then the PUT, both passing', async () => {
    const diagnosis = await run('/preflight', { method: 'PUT', headers: JSON_TYPE, body: '{"a":1}', sendActual: true });
    expect(diagnosis.verdict).toBe('ok');
    expect(diagnosis.preflightReasons).toHaveLength(2);
    expect(diagnosis.steps.map((step) => [step.kind, step.result])).toEqual([['preflight', 'passed'], ['request', 'passed']]);
    expect(diagnosis.steps[0]!.sent.headers).toEqual([
      ['accept', '*/*'],
      ['access-control-request-method', 'PUT'],
      ['access-control-request-headers', 'content-type'],
      ['origin', APP],
    ]);
    expect(arrived()).toEqual(['OPTIONS /preflight', 'PUT /preflight']);
    expect(lab.records()[1]!.body).toBe('{"a":1}');
  });

  it('never sends an unsafe actual request unless asked: the PUT is "unverified", only OPTIONS arrives', async () => {
    const diagnosis = await run('/preflight', { method: 'PUT', headers: JSON_TYPE, body: '{}' });
    expect(diagnosis.verdict).toBe('unverified');
    expect(diagnosis.steps.map((step) => step.result)).toEqual(['passed', 'not-sent']);
    expect(arrived()).toEqual(['OPTIONS /preflight']);
  });

  const failing = failingScenarios(APP);
  it.each(failing)('%s %o: %s', async (path, request, reason, fix, sent) => {
    const diagnosis = await run(path, request);
    expect(diagnosis.verdict).toBe('blocked');
    expect(diagnosis.failure).toMatchObject({ reason, fix, step: diagnosis.steps.length - 1 });
    expect(diagnosis.steps.at(-1)!.result).toBe(reason === 'HeaderNotExposed' ? 'passed' : 'failed');
    // What reached the lab is exactly what the doctor says it sent.
    expect(arrived()).toEqual(sent);
    expect(diagnosis.steps.map((step) => `${step.sent.method} ${new URL(step.sent.url).pathname}${new URL(step.sent.url).search}`)).toEqual(sent);
  });

  it('a preflight names the first failing check and the fix lists all of them (`*` with credentials)', async () => {
    const diagnosis = await run('/preflight', { method: 'PUT', headers: { 'x-custom': '1' }, credentials: 'include', sendActual: true });
    expect(diagnosis.failure).toMatchObject({
      reason: 'CORSMIssingAllowCredentials',
      fix: 'answer OPTIONS /preflight with Access-Control-Allow-Credentials: true',
    });
  });
});

describe('the CORS doctor across origins and failures', () => {
  let lab: Lab;
  let hop: Server;
  let hopOrigin: string;
  let grantServer: Server;
  let grants: string;
  beforeAll(async () => {
    lab = await startLab({ port: 0, appOrigin: APP });
    // Another origin that redirects to the lab: after this hop the request's origin is "null".
    hop = createServer((req, res) => {
      res.setHeader('Access-Control-Allow-Origin', APP);
      res.setHeader('Location', `${lab.origin}/cors`);
      res.statusCode = 302;
      res.end();
    });
    await new Promise<void>((resolve) => hop.listen(0, '127.0.0.1', resolve));
    hopOrigin = `http://127.0.0.1:${(hop.address() as AddressInfo).port}`;
    // Grants what its query says, on the preflight and the actual answer alike.
    grantServer = createServer((req, res) => {
      const query = new URL(req.url ?? '/', 'http://x').searchParams;
      res.setHeader('Access-Control-Allow-Origin', APP);
      for (const [name, field] of [['methods', 'Methods'], ['names', 'Headers'], ['credentials', 'Credentials']]) {
        const value = query.get(name!);
        if (value) res.setHeader(`Access-Control-Allow-${field}`, value);
      }
      res.statusCode = req.method === 'OPTIONS' ? 204 : 200;
      res.end();
    });
    await new Promise<void>((resolve) => grantServer.listen(0, '127.0.0.1', resolve));
    grants = `http://127.0.0.1:${(grantServer.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => grantServer.close(resolve));
    await new Promise((resolve) => hop.close(resolve));
    await lab.close();
  });
  const options = { fetch: (url: string, init: RequestInit) => fetch(url, init) };

  it('a cross-origin redirect taints the origin: the next hop is checked against "null"', async () => {
    const diagnosis = await diagnose({ url: `${hopOrigin}/go`, origin: APP }, options);
    expect(diagnosis.steps.map((step) => step.sent.headers.find(([name]) => name === 'origin')?.[1])).toEqual([APP, 'null']);
    expect(diagnosis.failure).toMatchObject({
      step: 1,
      reason: 'CORSAllowOriginNotMatchingOrigin',
      fix: `send Access-Control-Allow-Origin: * on the answer to GET ${lab.origin}/cors (after a redirect to another origin the request's origin is "null"), or have the page request ${lab.origin}/cors directly`,
    });
  });

  it.each([
    // [Allow-Methods, Allow-Headers, Allow-Credentials, method, request header, credentials, verdict or reason]
    ['*', '', '', 'PUT', undefined, 'omit', 'unverified'],
    ['*', '', 'true', 'PUT', undefined, 'include', 'CORSMethodNotFound'],
    ['', '*', '', 'GET', 'x-custom', 'omit', 'ok'],
    ['', '*', '', 'GET', 'authorization', 'omit', 'CORSMissingAllowHeaderFromPreflight'],
    ['', '*', 'true', 'GET', 'x-custom', 'include', 'CORSMissingAllowHeaderFromPreflight'],
    ['P UT', '', '', 'PUT', undefined, 'omit', 'CORSInvalidAllowMethod'],
    ['', 'x(y', '', 'GET', 'x-custom', 'omit', 'CORSInvalidAllowHeader'],
  ] as const)('Allow-Methods "%s", Allow-Headers "%s", Allow-Credentials "%s": %s with %s, credentials %s: %s', async (methods, names, credentials, method, header, mode, expected) => {
    const query = new URLSearchParams({ methods, names, credentials });
    const diagnosis = await diagnose(
      { url: `${grants}/?${query}`, origin: APP, method, headers: header ? { [header]: '1' } : {}, credentials: mode },
      options,
    );
    expect(diagnosis.failure?.reason ?? diagnosis.verdict).toBe(expected);
  });

  it('same origin: no CORS check at all', async () => {
    const diagnosis = await diagnose({ url: `${lab.origin}/no-cors`, origin: lab.origin }, options);
    expect(diagnosis).toMatchObject({ verdict: 'ok', crossOrigin: false });
    expect(diagnosis.steps.map((step) => step.result)).toEqual(['basic']);
  });

  it('no answer at all: CORSDidNotSucceed', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const diagnosis = await diagnose({ url: `http://127.0.0.1:${port}/x`, origin: APP }, options);
    expect(diagnosis.failure).toMatchObject({ step: 0, reason: 'CORSDidNotSucceed' });
    expect(diagnosis.steps[0]!.networkError).toBeTruthy();
  });

  it.each([
    [{ url: 'not a url' }, 'url'],
    [{ url: 'ftp://127.0.0.1/x' }, 'url'],
    [{ origin: 'localhost' }, 'origin'],
    [{ method: 'TRACE' }, 'method'],
    [{ method: 'G ET' }, 'method'],
    [{ headers: { 'bad name': 'x' } }, 'headers'],
    [{ credentials: 'always' as never }, 'credentials'],
    [{ body: 'x' }, 'body'],
    [{ read: ['x y'] }, 'read'],
  ] as const)('bad input %o is refused before anything is sent, naming %s', async (bad, name) => {
    lab.clear();
    const request = { url: `${lab.origin}/cors`, origin: APP, ...bad } as DoctorRequest;
    const error = await diagnose(request, options).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(DoctorError);
    expect(error).toMatchObject({ field: name, code: 'invalid-request' });
    expect(lab.records()).toEqual([]);
  });
});
