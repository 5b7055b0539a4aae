import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../../demo/app-server.js';
import { amplitude, mixpanel, posthog, segment, type RecipeOptions } from '../../src/recipes/index.js';
import type { Rule } from '../../src/sw/index.js';
import { proxy } from '../../src/sw/policies/proxy.js';
import { enginesFromEnv, keepsProfiles, launch, type BrowserSession, type EngineName, type TestPage } from '../helpers/browser.js';
import { bodyText, startCollector, type Collected, type Collector } from '../helpers/collector.js';
import { eventually } from '../helpers/stack.js';
import type { TestConfig } from '../fixtures/test-config.js';

const ONLINE = 200;
const OFFLINE = 100;

/** One SDK under test: its recipe, what its collector answers to reads, and how to find its events in what arrived. */
interface SdkCase {
  name: string;
  recipe(options: RecipeOptions): Rule[];
  /** The collector's answers to the SDK's reads, by path; given the collector's origin. */
  reads(origin: string): Record<string, unknown>;
  /** A change the worker must have logged on some queued beacon of this SDK. */
  change?: RegExp;
  /** Every test event in one request: its number (the `n` property) and the SDK's own event id. */
  events(request: Collected): Array<{ n: number; id: string }>;
}

/** A body's payloads: JSON, or a form with `data=` (JSON or base64 JSON), as the SDKs send them. */
function payloads(request: Collected): unknown[] {
  const text = bodyText(request.body);
  const parse = (raw: string): unknown => {
    try {
      return JSON.parse(raw);
    } catch {
      return JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
    }
  };
  const value = text.startsWith('data=') ? parse(new URLSearchParams(text).get('data') ?? '') : parse(text);
  const list = Array.isArray(value) ? value : (value as { batch?: unknown[] }).batch ?? [value];
  return list;
}

interface SdkEvent {
  event?: string;
  uuid?: string;
  properties?: { n?: number; $insert_id?: string };
}

const testEvents = (request: Collected, id: (event: SdkEvent) => string | undefined): Array<{ n: number; id: string }> =>
  (payloads(request) as SdkEvent[]).filter((e) => e.event === 'test-event').map((e) => ({ n: e.properties!.n!, id: id(e)! }));

const SDKS: SdkCase[] = [
  {
    name: 'posthog',
    recipe: posthog,
    reads: () => ({ '/flags/': { featureFlags: {}, featureFlagPayloads: {}, flags: {}, errorsWhileComputingFlags: false }, '/array/phc_test/config': {} }),
    events: (request) => (/^\/(e|i\/v0\/e|batch)\/?(\?|$)/.test(request.path) ? testEvents(request, (e) => e.uuid) : []),
  },
  {
    name: 'mixpanel',
    recipe: mixpanel,
    reads: () => ({}),
    events: (request) => (/^\/track\/?(\?|$)/.test(request.path) ? testEvents(request, (e) => e.properties?.$insert_id) : []),
  },
  {
    name: 'amplitude',
    recipe: amplitude,
    change: /^body decoded from Content-Encoding gzip/,
    reads: () => ({}),
    events: (request) =>
      // Parsed as it arrived: Amplitude gzips its batches (Content-Encoding), which the worker decodes.
      request.path === '/2/httpapi'
        ? (JSON.parse(request.body.toString('utf8')) as { events: Array<{ event_type: string; insert_id: string; event_properties: { n: number } }> }).events
            .filter((e) => e.event_type === 'test-event')
            .map((e) => ({ n: e.event_properties.n, id: e.insert_id }))
        : [],
  },
  {
    name: 'segment',
    recipe: (options) => segment({ ...options, cdn: options.origin }),
    reads: (origin) => ({ '/v1/projects/seg_test/settings': { integrations: { 'Segment.io': { apiKey: 'seg_test', apiHost: `${new URL(origin).host}/v1`, protocol: 'http' } } } }),
    events: (request) => {
      if (!/^\/v1\/(t|b|batch)$/.test(request.path)) return [];
      const body = JSON.parse(bodyText(request.body)) as { batch?: unknown[] };
      return ((body.batch ?? [body]) as Array<{ event?: string; messageId: string; properties: { n: number } }>)
        .filter((e) => e.event === 'test-event')
        .map((e) => ({ n: e.properties.n, id: e.messageId }));
    },
  },
];

/**
 * Each SDK through its own API against a loopback collector that sends no CORS headers, with its
 * crossroute/recipes rules: 200 events online, then 100 with the collector stopped, the browser
 * closed, the collector started again and the browser reopened on the same profile. Every event
 * must arrive exactly once (by the SDK's own event id), with no error in the page's console.
 */
describe.each(enginesFromEnv())('analytics SDKs through crossroute/recipes, in %s', (engine: EngineName) => {
  let app: AppServer;
  let collector: Collector;

  beforeAll(async () => {
    const reads: Record<string, unknown> = {};
    collector = await startCollector(reads);
    Object.assign(reads, ...SDKS.map((sdk) => sdk.reads(collector.origin)));
    app = await startAppServer({ proxies: { '/__proxy': () => ({ allow: [collector.origin], admitLoopbackForTests: [new URL(collector.origin).host] }) } });
  });
  afterAll(async () => {
    await Promise.all([app?.close(), collector?.stop()]);
  });

  it.each(SDKS)('$name: every event delivered exactly once, online and across an outage and a browser restart (a reload in WebKit)', async (sdk) => {
    // The worker under test reads its rules as JSON: each policy by its name.
    const rules = sdk.recipe({ origin: collector.origin, reads: proxy }).map((rule) => ({ ...rule, policy: rule.policy.name }));
    const config: TestConfig = { rules };
    const url = `${app.origin}/sdk.html?sdk=${sdk.name}&collector=${encodeURIComponent(collector.origin)}&config=${encodeURIComponent(JSON.stringify(config))}`;
    const since = collector.received().length;
    const arrived = (): Array<{ n: number; id: string }> => collector.received().slice(since).flatMap((request) => sdk.events(request));
    const until = (count: number): Promise<unknown> =>
      eventually(async () => (new Set(arrived().map((e) => e.n)).size >= count ? true : undefined), 30_000);
    // MiniBrowser under automation has ephemeral storage only: in WebKit the outage is lived through
    // with the browser open, and the page reloaded once the collector is back.
    const restart = keepsProfiles(engine);
    const profile = await mkdtemp(join(tmpdir(), `crossroute-${sdk.name}-`));
    const errors: string[] = [];
    let session: BrowserSession | undefined;
    const open = async (): Promise<TestPage> => {
      session = await launch(engine, restart ? { userDataDir: profile } : {});
      const page = await session.newPage();
      await page.goto(url);
      await page.evaluate(() => window.sdkTest.ready);
      return page;
    };
    try {
      let page = await open();
      await page.evaluate((to) => window.sdkTest.track(0, to), ONLINE);
      await until(ONLINE);
      if (sdk.change) {
        const changes = (await page.evaluate(() => window.crossrouteTest.outcomes())).flatMap((o) => o.changes ?? []);
        expect(changes.some((change) => sdk.change!.test(change))).toBe(true);
      }

      await collector.stop();
      await page.evaluate(({ from, to }) => window.sdkTest.track(from, to), { from: ONLINE, to: ONLINE + OFFLINE });
      // Until the SDK has handed everything to the worker: the outbox stops growing.
      let last = -1;
      await eventually(async () => {
        const queued = (await page.evaluate(() => window.crossrouteTest.outboxState()))?.totals.queued ?? 0;
        const settled = queued === last;
        last = queued;
        await new Promise((resolve) => setTimeout(resolve, 2000));
        return settled ? true : undefined;
      }, 30_000);
      errors.push(...page.pageErrors());
      if (restart) {
        await session!.close();
        await collector.start();
        page = await open();
      } else {
        await collector.start();
        await page.goto(url);
        await page.evaluate(() => window.sdkTest.ready);
      }
      await until(ONLINE + OFFLINE);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      errors.push(...page.pageErrors());

      const events = arrived();
      const ids = new Set(events.map((e) => e.id));
      const numbers = new Set(events.map((e) => e.n));
      console.log(`${engine} ${sdk.name}: sent ${ONLINE + OFFLINE}, delivered ${numbers.size}, requests ${collector.received().length - since}, event copies ${events.length}, duplicates ${events.length - ids.size}`);
      expect(numbers.size).toBe(ONLINE + OFFLINE);
      expect(events.length - ids.size).toBe(0);
      expect(ids.size).toBe(ONLINE + OFFLINE);
      expect(errors).toEqual([]);
    } finally {
      await session?.close();
      await rm(profile, { recursive: true, force: true });
    }
  }, 150_000);
});
