import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../../demo/app-server.js';
import { amplitude, ga4, mixpanel, plausible, posthog, segment, snowplow, type RecipeOptions } from '../../src/recipes/index.js';
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
  /** Why this SDK cannot run in an engine, when it cannot (measured). */
  skip?(engine: EngineName): string | undefined;
  /** A change the worker must have logged on some queued beacon of this SDK. */
  change?: RegExp;
  /**
   * A read the SDK makes at start (its paths) and a feature flag the collector's answer to it turns
   * on: the read must reach the collector through the recipe's reads policy, never the beacon
   * policy's outbox (which would answer it without the network), and the SDK must see the flag.
   */
  read?: {
    paths: RegExp;
    flag: string;
    /** Why the read goes past the worker in this engine, where it does (measured): then only that it reached the collector unqueued is checked. */
    pastTheWorker?(engine: EngineName): string | undefined;
  };
  /** Every test event in one request: its number (the `n` property) and the SDK's own event id (the number where the SDK has none). */
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

/** The flag the collector's /flags/ answer turns on for PostHog. */
const FLAG = 'crossroute-read';

const SDKS: SdkCase[] = [
  {
    name: 'posthog',
    recipe: posthog,
    read: {
      paths: /^\/(flags|decide)\/?$/,
      flag: FLAG,
      pastTheWorker: (engine) =>
        engine === 'firefox'
          ? 'posthog-js sends its /flags/ POST as a keepalive fetch(), which Firefox ESR 153 sends past the worker: it reached the collector from the browser itself, and with no CORS headers there PostHog got no flags'
          : undefined,
    },
    reads: () => ({
      '/flags/': { featureFlags: { [FLAG]: true }, featureFlagPayloads: {}, flags: { [FLAG]: { key: FLAG, enabled: true, variant: null } }, errorsWhileComputingFlags: false },
      '/array/phc_test/config': {},
    }),
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
  ...(['snowplow', 'snowplow-get'] as const).map(
    (name): SdkCase => ({
      name,
      recipe: snowplow,
      skip: (engine) =>
        name === 'snowplow-get' && engine === 'firefox'
          ? 'Firefox ESR 153 hands the worker the tracker’s keepalive GET without request.keepalive (measured: its outcome was the beacon policy’s pass-through, a network error): the policy takes it for a read, its CORS check fails and the tracker retries it without end'
          : undefined,
      reads: () => ({}),
      events: (request) => snowplowEvents(request),
    }),
  ),
  {
    name: 'plausible',
    recipe: plausible,
    reads: () => ({}),
    events: (request) => {
      if (request.path !== '/api/event') return [];
      const event = JSON.parse(bodyText(request.body)) as { n: string; p?: string };
      if (event.n !== 'test-event') return [];
      // Plausible sends no event id: the test's own number stands for it.
      const n = (JSON.parse(event.p ?? '{}') as { n: number }).n;
      return [{ n, id: String(n) }];
    },
  },
  {
    name: 'ga4',
    recipe: ga4,
    reads: () => ({}),
    events: (request) => {
      const url = new URL(request.path, 'http://x');
      if (url.pathname !== '/g/collect') return [];
      const body = bodyText(request.body);
      const lines = body === '' ? [url.search] : body.split('\r\n');
      // A GA4 event has no id of its own: the hit's (page load `_p`, hit number `_s`) and its line.
      return lines
        .map((line, index) => ({ line: new URLSearchParams(line), index }))
        .filter(({ line }) => line.get('en') === 'test_event')
        .map(({ line, index }) => ({ n: Number(line.get('epn.n')), id: `${url.searchParams.get('_p')}:${url.searchParams.get('_s')}:${index}` }));
    },
  },
];

/** Snowplow's events, from a POST batch (`data`) or a GET's query; `eid` is the tracker's event id. */
function snowplowEvents(request: Collected): Array<{ n: number; id: string }> {
  const url = new URL(request.path, 'http://x');
  const list: Array<Record<string, string>> =
    url.pathname === '/com.snowplowanalytics.snowplow/tp2'
      ? (JSON.parse(bodyText(request.body)) as { data: Array<Record<string, string>> }).data
      : url.pathname === '/i'
        ? [Object.fromEntries(url.searchParams)]
        : [];
  return list.flatMap((event) => {
    if (event.e !== 'ue' || event.ue_pr === undefined) return [];
    const inner = (JSON.parse(event.ue_pr) as { data: { schema: string; data: { n: number } } }).data;
    return inner.schema.includes('/test_event/') ? [{ n: inner.data.n, id: event.eid! }] : [];
  });
}

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

  it.for(SDKS)('$name: every event delivered exactly once, online and across an outage and a browser restart (a reload in WebKit)', { timeout: 150_000 }, async (sdk, context) => {
    const skip = sdk.skip?.(engine);
    if (skip) context.skip(skip);
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
      if (sdk.read) {
        const { paths, flag, pastTheWorker } = sdk.read;
        const isRead = (url: string): boolean => paths.test(new URL(url, 'http://x').pathname);
        expect(collector.received().slice(since).filter((request) => isRead(request.path)).length).toBeGreaterThan(0);
        const outcomes = (await page.evaluate(() => window.crossrouteTest.outcomes())).filter((outcome) => isRead(outcome.url));
        const past = pastTheWorker?.(engine);
        if (past) {
          // Measured: the worker never saw it, so no beacon rule queued it either.
          expect(outcomes, past).toEqual([]);
        } else {
          expect(outcomes.length).toBeGreaterThan(0);
          // Through the recipe's reads policy (proxy here) with the collector's answer, not queued or delivered from the outbox.
          for (const outcome of outcomes) expect({ policy: outcome.policy, kind: outcome.kind, upstreamStatus: outcome.upstreamStatus }).toEqual({ policy: 'proxy', kind: 'ok', upstreamStatus: 200 });
          expect(await eventually(() => page.evaluate((key) => window.sdkTest.featureFlag(key), flag), 10_000)).toBe(true);
        }
      }
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
  });
});
