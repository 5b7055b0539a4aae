import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../../src/model/outcome.js';
import { OutcomeLogPlugin } from '../../../src/sw/log/outcome-log-plugin.js';
import { MemorySink } from '../../../src/sw/outcome/memory-sink.js';

const event = {} as ExtendableEvent;

async function run(plugin: OutcomeLogPlugin, request: Request, finish: { response?: Response; error?: Error }, fetched: boolean): Promise<void> {
  const state = {};
  await plugin.handlerWillStart!({ request, event, state });
  if (fetched) await plugin.requestWillFetch!({ request, event, state });
  await plugin.handlerDidComplete!({ request, event, state, ...finish });
}

describe('OutcomeLogPlugin', () => {
  it('records one outcome per handled request, naming where the response came from', async () => {
    const sink = new MemorySink();
    const plugin = new OutcomeLogPlugin({ sink, policy: 'workbox:StaleWhileRevalidate' });
    await run(plugin, new Request('https://cdn.test/a.js'), { response: new Response('x', { status: 200 }) }, true);
    await run(plugin, new Request('https://cdn.test/a.js'), { response: new Response('x', { status: 404 }) }, false);
    const [network, cache] = sink.list() as [Outcome, Outcome];
    expect(network).toMatchObject({ policy: 'workbox:StaleWhileRevalidate', ruleIndex: -1, kind: 'ok', status: 200, detail: 'from the network', targetOrigin: 'https://cdn.test', method: 'GET' });
    expect(cache).toMatchObject({ kind: 'http-error', status: 404, detail: 'from cache' });
    expect(network.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('records a failed strategy as a network error with its message', async () => {
    const sink = new MemorySink();
    await run(new OutcomeLogPlugin({ sink }), new Request('https://cdn.test/b.css', { method: 'POST', body: 'x' }), { error: new TypeError('Failed to fetch') }, true);
    expect(sink.list()).toEqual([expect.objectContaining({ policy: 'workbox', kind: 'network-error', status: null, responseType: null, method: 'POST', detail: 'TypeError: Failed to fetch' })]);
  });

  it('a failing sink never throws into the strategy', async () => {
    const plugin = new OutcomeLogPlugin({ sink: { write: () => Promise.reject(new Error('full')) } });
    await expect(run(plugin, new Request('https://cdn.test/c'), { response: new Response('') }, true)).resolves.toBeUndefined();
  });
});
