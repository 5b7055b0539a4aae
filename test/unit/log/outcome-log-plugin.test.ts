import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../../src/model/outcome.js';
import { OutcomeLogPlugin } from '../../../src/sw/log/outcome-log-plugin.js';
import { MemorySink } from '../../../src/sw/outcome/memory-sink.js';

const event = {} as ExtendableEvent;

/** The plugin hooks in the order a Workbox strategy calls them; `cached` is what the cache lookup found. */
async function run(plugin: OutcomeLogPlugin, request: Request, finish: { response?: Response; error?: Error }, fetched: boolean, cached?: Response): Promise<void> {
  const state = {};
  await plugin.handlerWillStart!({ request, event, state });
  if (cached !== undefined) await plugin.cachedResponseWillBeUsed!({ request, event, state, cacheName: 'c', cachedResponse: cached });
  if (fetched) await plugin.requestWillFetch!({ request, event, state });
  await plugin.handlerDidComplete!({ request, event, state, ...finish });
}

describe('OutcomeLogPlugin', () => {
  it('records one outcome per handled request, naming where the response came from', async () => {
    const sink = new MemorySink();
    const plugin = new OutcomeLogPlugin({ sink, policy: 'workbox:StaleWhileRevalidate' });
    const stored = new Response('x', { status: 200 });
    // A miss: nothing cached, the network answers.
    await run(plugin, new Request('https://cdn.test/a.js'), { response: new Response('x', { status: 200 }) }, true);
    // Stale-while-revalidate's hit: the cached answer is used and a fetch runs in the background.
    await run(plugin, new Request('https://cdn.test/a.js'), { response: stored }, true, stored);
    // Cache-first's hit: no fetch at all.
    const stored404 = new Response('x', { status: 404 });
    await run(plugin, new Request('https://cdn.test/a.js'), { response: stored404 }, false, stored404);
    // Network-first that found a cached copy but answered from the network.
    await run(plugin, new Request('https://cdn.test/a.js'), { response: new Response('y') }, true, new Response('old'));
    const [network, swr, cacheFirst, networkFirst] = sink.list() as [Outcome, Outcome, Outcome, Outcome];
    expect(network).toMatchObject({ policy: 'workbox:StaleWhileRevalidate', ruleIndex: -1, kind: 'ok', status: 200, detail: 'from the network', targetOrigin: 'https://cdn.test', method: 'GET' });
    expect(swr).toMatchObject({ kind: 'cache-hit', status: 200, detail: 'from cache; refreshed from the network in the background' });
    expect(cacheFirst).toMatchObject({ kind: 'cache-hit', status: 404, detail: 'from cache' });
    expect(networkFirst).toMatchObject({ kind: 'ok', detail: 'from the network' });
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
