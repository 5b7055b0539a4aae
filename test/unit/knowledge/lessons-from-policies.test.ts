import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cors } from '../../../src/sw/policies/cors.js';
import { askDiagnosis } from '../../../src/sw/policies/proxy/ask-diagnosis.js';
import { APP, handlerFor, stubWorker, verdictOf, type Network } from '../../helpers/fake-worker.js';

const context = { rule: { index: 0, name: 'rule 0' }, sink: { write: async () => undefined } } as never;
const JSON_PUT = { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' };

/** An origin that grants CORS (`grants`), or answers only without it: a cors-mode fetch fails, a no-cors one is answered. */
const origin = (grants: boolean): Network => (request) => {
  if (request.mode === 'cors' && !grants) throw new TypeError('Failed to fetch');
  return new Response('ok');
};
const outage: Network = () => {
  throw new TypeError('Failed to fetch');
};

/** Runs the cors policy of `options` on a cors-mode request; resolves to its note once its lessons are stored. */
async function throughCors(network: Network, url: string, init: RequestInit = {}, options = {}) {
  stubWorker(network);
  const { options: handler, settled } = handlerFor(new Request(url, { ...init, mode: 'cors' }));
  await cors.create(cors.validate(options, 'rules[0].options'), context).handle(handler);
  return settled();
}

describe("the cors policy teaches the worker's CORS knowledge", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("a readable answer: the origin grants the request's case (simple, preflighted, credentialed), and only that one", async () => {
    await throughCors(origin(true), 'https://simple.test/a');
    expect(await verdictOf('https://simple.test', 'simple')).toBe('granted');

    await throughCors(origin(true), 'https://preflighted.test/a', JSON_PUT);
    expect(await verdictOf('https://preflighted.test', 'preflighted')).toBe('granted');
    expect(await verdictOf('https://preflighted.test', 'credentialed')).toBe('unknown');

    await throughCors(origin(true), 'https://credentialed.test/a', {}, { credentials: 'include' });
    expect(await verdictOf('https://credentialed.test', 'credentialed')).toBe('granted');
  });

  it('a refusal (the origin answers the no-cors probe): refused; an outage teaches nothing', async () => {
    expect(await throughCors(origin(false), 'https://refuses.test/a', JSON_PUT)).toMatchObject({ kind: 'cors-blocked' });
    expect(await verdictOf('https://refuses.test', 'preflighted')).toBe('refused');
    expect(await verdictOf('https://refuses.test', 'simple')).toBe('unknown');

    expect(await throughCors(outage, 'https://down.test/a')).toMatchObject({ kind: 'network-error' });
    expect(await verdictOf('https://down.test', 'simple')).toBe('unknown');
  });
});

describe("a diagnosis by the proxy and the worker's CORS knowledge", () => {
  afterEach(() => vi.unstubAllGlobals());

  /** askDiagnosis with the proxy answering `answer`; what the doctor was asked is recorded. */
  async function diagnosed(url: string, answer: object, credentials: RequestCredentials = 'same-origin') {
    const asked: string[] = [];
    stubWorker((request) => (asked.push(`${request.method} ${request.url}`), Response.json(answer)));
    const note = await askDiagnosis('/__proxy', new Request(url, { mode: 'cors' }), credentials);
    expect(asked).toEqual([`POST ${APP}/__proxy?url=${encodeURIComponent(url)}&diagnose=`]);
    return note;
  }
  const failure = (reason: string) => ({ verdict: 'blocked', failure: { reason, message: 'm', fix: 'f' } });

  it('teaches nothing, whatever the verdict: the refusal that asked for it is the lesson, and the doctor (no cookies) must not overturn it', async () => {
    expect(await diagnosed('https://blocked.test/a', failure('CORSMissingAllowOrigin'), 'include')).toMatchObject({ reason: 'CORSMissingAllowOrigin', fix: 'f', detail: 'm' });
    // The browser was refused; the doctor, asked by the cors policy, finds nothing wrong.
    const refusedThenOk: Network = (request) => (new URL(request.url).origin === APP ? Response.json({ verdict: 'ok' }) : origin(false)(request));
    const note = await throughCors(refusedThenOk, 'https://passed.test/a', {}, { diagnose: true });
    expect(note).toMatchObject({ kind: 'cors-blocked', detail: expect.stringMatching(/; diagnosis by \/__proxy: ok$/) });
    expect(await verdictOf('https://passed.test', 'simple')).toBe('refused');
  });
});
