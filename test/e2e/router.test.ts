import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/model/outcome.js';
import type { TestRule } from '../fixtures/test-config.js';
import { enginesFromEnv, type TestPage } from '../helpers/browser.js';
import { useE2eSuite } from '../helpers/e2e-suite.js';
import { eventually } from '../helpers/stack.js';

/** Routing through the real worker: each policy, first-match-wins, no match, and fail-open. */
interface Seen {
  ok: boolean;
  type?: string;
  status?: number;
  body?: string;
  error?: string;
}

describe.each(enginesFromEnv())('the policy router, in %s', (engine) => {
  const suite = useE2eSuite(engine);
  const controlledPage = (rules: TestRule[], failingSink = false): Promise<TestPage> => suite.controlledPage({ rules, failingSink });
  const request = (p: TestPage, url: string, init: Record<string, unknown> = {}): Promise<Seen> =>
    p.evaluate(
      async ({ url, init }) => {
        try {
          const r = await fetch(url, init as RequestInit);
          return { ok: true, type: r.type, status: r.status, body: r.type === 'opaque' ? '' : await r.text() };
        } catch (error) {
          return { ok: false, error: String(error) };
        }
      },
      { url, init },
    );
  const outcomes = (p: TestPage): Promise<Outcome[]> => p.evaluate(() => window.crossrouteTest.outcomes()) as Promise<Outcome[]>;
  const nthOutcome = (p: TestPage, n: number): Promise<Outcome> => eventually(async () => (await outcomes(p))[n]);
  const arrived = (): string[] => suite.stack.lab.records().map((r) => `${r.method} ${r.path}`);

  it('passthrough: the network as is, one outcome per request with its response type and status', async () => {
    const lab = suite.stack.lab.origin;
    const p = await controlledPage([{ match: { origin: lab }, policy: 'passthrough' }]);
    expect(await request(p, `${lab}/assets/pixel.png`, { mode: 'no-cors' })).toMatchObject({ ok: true, type: 'opaque' });
    expect(await request(p, `${lab}/status/500?cors=1`)).toMatchObject({ ok: true, status: 500 });
    const [opaque, error] = [await nthOutcome(p, 0), await nthOutcome(p, 1)];
    expect(opaque).toMatchObject({ kind: 'opaque', policy: 'passthrough', ruleIndex: 0, mode: 'no-cors', method: 'GET', status: 0, responseType: 'opaque', targetOrigin: lab, url: `${lab}/assets/pixel.png` });
    expect(error).toMatchObject({ kind: 'http-error', status: 500, responseType: 'cors', mode: 'cors' });
    expect(opaque.durationMs).toBeGreaterThanOrEqual(0);
    expect(opaque.id).not.toBe(error.id);
    expect(arrived()).toEqual(['GET /assets/pixel.png', 'GET /status/500?cors=1']);
  });

  it('cors: readable where the origin allows it, cors-blocked where it answers without CORS (seed 000)', async () => {
    const lab = suite.stack.lab.origin;
    const p = await controlledPage([{ match: { origin: lab }, policy: 'cors' }]);
    expect(await request(p, `${lab}/cors-redirect`)).toMatchObject({ ok: true, type: 'cors', body: '{"endpoint":"cors"}' });
    expect(await request(p, `${lab}/no-cors-redirect`)).toMatchObject({ ok: false });
    expect(await nthOutcome(p, 0)).toMatchObject({ kind: 'ok', redirected: true, status: 200, responseType: 'cors' });
    const refused = await nthOutcome(p, 1);
    expect(refused).toMatchObject({ kind: 'cors-blocked', status: null, responseType: null });
    expect(refused.detail).toContain('simple request');
  });

  it('cors: a failed preflight is explained with the reasons the request was preflighted (seed 004)', async () => {
    const lab = suite.stack.lab.origin;
    const p = await controlledPage([{ match: { origin: lab }, policy: 'cors' }]);
    expect(await request(p, `${lab}/preflight-405`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).toMatchObject({ ok: false });
    const outcome = await nthOutcome(p, 0);
    expect(outcome.kind).toBe('cors-blocked');
    expect(outcome.detail).toMatch(/preflighted.*application\/json/);
    // The POST itself never left the browser; the HEAD is the probe that told refusal from outage.
    expect(arrived()).toEqual(['OPTIONS /preflight-405', 'HEAD /preflight-405']);
  });

  it('cors: an origin that is down is a network-error, not a CORS refusal', async () => {
    const lab = suite.stack.lab.origin;
    const p = await controlledPage([{ match: { origin: lab }, policy: 'cors' }]);
    await suite.stack.lab.close();
    try {
      expect(await request(p, `${lab}/cors`)).toMatchObject({ ok: false });
      const outcome = await nthOutcome(p, 0);
      expect(outcome).toMatchObject({ kind: 'network-error' });
      expect(outcome.detail).toContain('unreachable');
    } finally {
      await suite.stack.restartLab();
    }
  });

  it('block: a readable refusal naming the rule; nothing reaches the origin (seed 003)', async () => {
    const lab = suite.stack.lab.origin;
    const p = await controlledPage([
      { match: { origin: lab, path: '/cors' }, policy: 'passthrough' },
      { name: 'no deletes', match: { origin: lab, path: '/delete-*', method: 'POST' }, policy: 'block', options: { reason: 'deleting is off' } },
    ]);
    const seen = await request(p, `${lab}/delete-post`, { method: 'POST', body: new URLSearchParams({ id: '13' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(seen).toMatchObject({ ok: true, status: 403 });
    expect(JSON.parse(seen.body!)).toEqual({ error: 'crossroute-blocked', rule: 1, name: 'no deletes', reason: 'deleting is off' });
    expect(await nthOutcome(p, 0)).toMatchObject({ kind: 'blocked', ruleIndex: 1, policy: 'block', method: 'POST', detail: 'deleting is off (no deletes)' });
    expect(arrived()).toEqual([]);
  });

  it('first match wins, and a request no rule matches is not intercepted at all', async () => {
    const lab = suite.stack.lab.origin;
    const p = await controlledPage([
      { match: { origin: lab, path: '/cors', method: 'GET' }, policy: 'block' },
      { match: { origin: lab, path: '/cors' }, policy: 'passthrough' },
      { match: { origin: 'http://127.0.0.1:1', path: '/no-cors' }, policy: 'block' },
    ]);
    expect(await request(p, `${lab}/cors`)).toMatchObject({ status: 403 });
    expect(await request(p, `${lab}/cors`, { method: 'HEAD' })).toMatchObject({ ok: true, status: 200 });
    expect(await request(p, `${lab}/cors?cors=1`, { mode: 'no-cors' })).toMatchObject({ ok: true }); // GET still hits rule 0
    expect(await request(p, `${lab}/no-cors`, { mode: 'no-cors' })).toMatchObject({ ok: true, type: 'opaque' });
    const all = await eventually(async () => {
      const list = await outcomes(p);
      return list.length >= 3 ? list : undefined;
    });
    expect(all.map((o) => [o.method, o.ruleIndex])).toEqual([['GET', 0], ['HEAD', 1], ['GET', 0]]);
    expect(arrived()).toEqual(['HEAD /cors', 'GET /no-cors']);
  });

  it('fail open: a policy that throws (or rejects) sends the request to the network untouched, recorded as fallback', async () => {
    const lab = suite.stack.lab.origin;
    const p = await controlledPage([
      { match: { origin: lab, method: 'GET' }, policy: 'explode' },
      { match: { origin: lab, method: 'POST' }, policy: 'explode-after-body' },
      { match: { origin: lab, method: 'PUT' }, policy: 'explode-sync' },
    ]);
    expect(await request(p, `${lab}/cors`)).toMatchObject({ ok: true, type: 'cors', body: '{"endpoint":"cors"}' });
    await request(p, `${lab}/beacon?cors=1`, { method: 'POST', body: 'payload-1' });
    expect(await request(p, `${lab}/preflight`, { method: 'PUT', body: 'payload-2' })).toMatchObject({ ok: true, status: 200 });
    const [first, second, third] = [await nthOutcome(p, 0), await nthOutcome(p, 1), await nthOutcome(p, 2)];
    expect(first).toMatchObject({ kind: 'fallback', status: 200 });
    expect(first.detail).toContain('explode policy failed on purpose');
    expect(second).toMatchObject({ kind: 'fallback', status: 204, method: 'POST' });
    expect(third).toMatchObject({ kind: 'fallback', status: 200, method: 'PUT' });
    expect(third.detail).toContain('explode-sync policy failed on purpose');
    // The POST's policy consumed its copy of the body; the network got the original, once.
    expect(suite.stack.lab.records().map((r) => [r.method, r.body])).toEqual([['GET', ''], ['POST', 'payload-1'], ['OPTIONS', ''], ['PUT', 'payload-2']]);
  });

  it('fail open: a sink that fails loses the record, never the request', async () => {
    const lab = suite.stack.lab.origin;
    const p = await controlledPage([{ match: { origin: lab }, policy: 'cors' }], true);
    for (let i = 0; i < 3; i++) expect(await request(p, `${lab}/cors`)).toMatchObject({ ok: true, status: 200 });
    expect(arrived()).toEqual(['GET /cors', 'GET /cors', 'GET /cors']);
  });
});
