import { describe, expect, it } from 'vitest';
import { amplitude, ga4, mixpanel, plausible, posthog, segment, snowplow, type RecipeOptions } from '../../../src/recipes/index.js';
import { MemorySink } from '../../../src/sw/outcome/memory-sink.js';
import { passthrough } from '../../../src/sw/policies/passthrough.js';
import { proxy } from '../../../src/sw/policies/proxy.js';
import { HTTP_METHODS, type Rule } from '../../../src/sw/rules/rule.js';
import { RuleMatcher } from '../../../src/sw/rules/rule-matcher.js';
import { validateRules } from '../../../src/sw/rules/validate-rules.js';

const API = 'https://api.sdk.example';
const CDN = 'https://cdn.sdk.example';

/** One request an SDK makes, as `METHOD url`, and the policy its recipe must give it (undefined: not intercepted). */
type Expectation = [request: string, policy: 'beacon' | 'reads' | undefined];

interface RecipeCase {
  name: string;
  rules(options: RecipeOptions): Rule[];
  requests: Expectation[];
}

// What each SDK sends (paths and queries as the SDK tests' collector received them, or as the SDK's
// docs name them): the read must reach its reads policy, never the beacon rule, which would answer
// it with a synthetic 200 and the SDK would get no flags or settings.
const RECIPES: RecipeCase[] = [
  {
    name: 'posthog',
    rules: posthog,
    requests: [
      ['POST /flags/?v=2&config=true', 'reads'],
      ['POST /flags?v=2', 'reads'],
      ['POST /decide/?v=4', 'reads'],
      ['GET /array/phc_test/config', 'reads'],
      ['GET /array/phc_test/config.js', 'reads'],
      ['GET /api/surveys/?token=phc_test', 'reads'],
      ['POST /e/?ip=0&ver=1.449.2', 'beacon'],
      ['POST /e?compression=gzip-js', 'beacon'],
      ['POST /i/v0/e/', 'beacon'],
      ['POST /batch/', 'beacon'],
      ['POST /s/?compression=gzip-js', 'beacon'],
      ['POST /i/v1/logs', 'beacon'],
      ['POST /i/v1/metrics', 'beacon'],
      ['GET /static/array.js', undefined],
    ],
  },
  {
    name: 'mixpanel',
    rules: mixpanel,
    requests: [
      ['GET /flags/?context=%7B%7D', 'reads'],
      ['GET /flags', 'reads'],
      ['GET /settings/', 'reads'],
      ['POST /track/?verbose=1&ip=1', 'beacon'],
      ['POST /track?verbose=1', 'beacon'],
      ['POST /engage/', 'beacon'],
      ['POST /groups/', 'beacon'],
      ['POST /record/', 'beacon'],
      ['GET /decide', undefined],
    ],
  },
  {
    name: 'amplitude',
    rules: amplitude,
    requests: [
      ['POST /2/httpapi', 'beacon'],
      ['POST /batch', 'beacon'],
      ['GET /config', undefined],
    ],
  },
  {
    name: 'segment',
    rules: (options) => segment({ ...options, cdn: CDN }),
    requests: [
      [`GET ${CDN}/v1/projects/seg_test/settings`, 'reads'],
      [`GET ${CDN}/analytics-next/bundles/ajs-destination.bundle.js`, undefined],
      ...['t', 'p', 'i', 'g', 'a', 's', 'b', 'batch', 'm'].map((call): Expectation => [`POST /v1/${call}`, 'beacon']),
      ['GET /v1/projects/seg_test/settings', undefined],
    ],
  },
  {
    name: 'snowplow',
    rules: snowplow,
    requests: [
      ['POST /com.snowplowanalytics.snowplow/tp2', 'beacon'],
      ['GET /i?e=ue&eid=1', 'beacon'],
      ['GET /health', undefined],
    ],
  },
  {
    name: 'plausible',
    rules: plausible,
    requests: [
      ['POST /api/event', 'beacon'],
      ['GET /js/script.js', undefined],
    ],
  },
  {
    name: 'ga4',
    rules: ga4,
    requests: [
      ['POST /g/collect?v=2&tid=G-TEST&cid=1&en=page_view', 'beacon'],
      ['GET /g/collect?v=2&tid=G-TEST', 'beacon'],
      ['GET /gtag/js?id=G-TEST', undefined],
    ],
  },
];

/**
 * The policy the recipe's rules give a request, as setupCrossroute's matcher picks it. The matcher
 * sees each rule's own `match` with a passthrough in place of its policy (a beacon rule would start
 * an outbox, which needs a worker); the rule it picks names the recipe's policy.
 */
function policyFor(rules: Rule[], request: string): string | undefined {
  const [method, target] = request.split(' ') as [string, string];
  const inert = rules.map(({ match, name }) => ({ match, name, policy: passthrough }));
  const matcher = new RuleMatcher(validateRules(inert, new MemorySink()), HTTP_METHODS);
  const picked = matcher.match({ url: new URL(target, API), method, destination: '', mode: 'cors', sameOrigin: false });
  return picked && rules[picked.index]!.policy.name;
}

describe('crossroute/recipes', () => {
  describe.each(RECIPES)('$name', ({ rules, requests }) => {
    it.each([
      ['cors', undefined],
      ['proxy', proxy],
    ] as const)('gives its beacons to the beacon policy and its reads to %s, never to the beacon rule', (readsName, reads) => {
      const recipe = rules({ origin: API, ...(reads && { reads }) });
      const got = requests.map(([request]) => [request, policyFor(recipe, request)]);
      const want = requests.map(([request, policy]) => [request, policy === 'reads' ? readsName : policy]);
      expect(got).toEqual(want);
    });
  });

  it('keeps a read from the beacon rule even when the beacon paths would cover it: reads come first', () => {
    // An app that widens the beacons (here to every path) must still not swallow PostHog's flags.
    const [reads, beacons] = posthog({ origin: API });
    const widened = [reads!, { ...beacons!, match: { ...beacons!.match, path: '/**' } }];
    expect(policyFor(widened, 'POST /flags/?v=2')).toBe('cors');
    expect(policyFor(widened, 'POST /anything')).toBe('beacon');
  });

  it('takes the beacon rule’s options and the origin pattern as given', () => {
    const [rule] = plausible({ origin: 'https://*.sdk.example', beacon: { credentials: 'omit' } });
    expect(rule).toMatchObject({ match: { origin: 'https://*.sdk.example' }, options: { credentials: 'omit' } });
    expect(policyFor([rule!], 'POST https://eu.sdk.example/api/event')).toBe('beacon');
  });
});
