import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CACHE_BUDGET_MESSAGE, type CacheBudgetState } from '../../../src/model/cache-budget-state.js';
import { reportBudget } from '../../../src/sw/cache/budget-reports.js';
import { BudgetedCache } from '../../../src/sw/cache/budgeted-cache.js';
import { StorageMeter } from '../../../src/sw/cache/storage-meter.js';
import { fakeCacheStorage } from './fake-cache-storage.js';

/** A response as the browser hands over a no-cors answer: type opaque, its size unknown to script. */
const opaque = (): Response => Object.defineProperty(new Response(null), 'type', { value: 'opaque' });
const readable = (bytes: number): Response => new Response('x'.repeat(bytes), { headers: { 'content-length': String(bytes) } });

function budgetedCache(name: string, opaqueBytes: number): BudgetedCache {
  return new BudgetedCache({
    name,
    cacheNames: [name],
    budget: { maxEntries: 10, maxAgeSeconds: 3600, maxBytes: 50_000_000 },
    // Not measured (Node has no storage estimate): an opaque entry counts opaqueBytes, a readable one its Content-Length.
    meter: new StorageMeter(opaqueBytes, false),
    onEvict: () => undefined,
  });
}

/** Posts a message to the worker's listeners as a page would, and resolves with the answer on its port. */
async function ask(worker: EventTarget, data: unknown): Promise<unknown[]> {
  const answers: unknown[] = [];
  const waited: Array<Promise<unknown>> = [];
  const event = Object.assign(new Event('message'), { data, ports: [{ postMessage: (m: unknown) => answers.push(m) }], waitUntil: (p: Promise<unknown>) => waited.push(p) });
  worker.dispatchEvent(event);
  await Promise.all(waited);
  return answers;
}

describe('cache budgets as the page reads them', () => {
  const saved = { caches: globalThis.caches, self: (globalThis as { self?: unknown }).self };
  let worker: EventTarget;
  beforeEach(() => {
    globalThis.indexedDB = new IDBFactory();
    globalThis.caches = fakeCacheStorage();
    worker = new EventTarget();
    (globalThis as { self?: unknown }).self = worker;
  });
  afterEach(() => {
    globalThis.caches = saved.caches;
    (globalThis as { self?: unknown }).self = saved.self;
  });

  it("each rule's budget answers with entries and bytes held, the opaque (padded) part apart, and its limits; other messages get no answer", async () => {
    const images = budgetedCache('crossroute-cache:images', 7_000_000);
    const fonts = budgetedCache('crossroute-cache:fonts', 1_000);
    await images.store('crossroute-cache:images', 'https://cdn.test/a.png', opaque());
    await images.store('crossroute-cache:images', 'https://cdn.test/b.json', readable(1234));
    reportBudget('images', images);
    reportBudget('fonts', fonts);

    expect(await ask(worker, { type: 'crossroute:outbox-state' })).toEqual([]);
    const [answer] = (await ask(worker, { type: CACHE_BUDGET_MESSAGE })) as Array<{ budgets: CacheBudgetState[] }>;
    const limits = { maxEntries: 10, maxAgeSeconds: 3600, maxBytes: 50_000_000 };
    expect(answer!.budgets).toEqual([
      { name: 'crossroute-cache:images', rule: 'images', entries: 2, bytes: 7_001_234, opaqueEntries: 1, opaqueBytes: 7_000_000, limits },
      { name: 'crossroute-cache:fonts', rule: 'fonts', entries: 0, bytes: 0, opaqueEntries: 0, opaqueBytes: 0, limits },
    ]);
  });
});
