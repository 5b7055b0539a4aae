import { CrossrouteError } from '../errors.js';
import type { PolicyFactory } from '../contract/policy.js';
import { AutoPolicy } from './auto/auto-policy.js';
import type { AutoConfig, AutoOptions } from './auto/auto-options.js';
import { OptionsReader } from './options.js';
import { proxy } from './proxy.js';
import { diagnoseOption } from './proxy/diagnose-option.js';

const DAY = 86_400;
const CACHE_OPTIONS = ['cacheName', 'maxEntries', 'maxBytes', 'maxAgeSeconds', 'opaqueTtlSeconds'] as const;

/**
 * One rule for many origins: per request, what the page asked for with the fewest requests and the
 * least quota. Readable in cors mode where the origin grants CORS; through the app's proxy where it
 * does not (with `proxyPath`); opaque only for a no-cors request with no readable route; never an
 * opaque answer to a cors-mode request. What it learns of each origin is the worker's CORS
 * knowledge, and every outcome says which route was taken and why.
 */
export const auto: PolicyFactory<AutoOptions, AutoConfig> = {
  name: 'auto',
  validate(options, field) {
    const read = new OptionsReader(options, field);
    const proxyPath = read.raw('proxyPath') as string | undefined;
    const knowledgeTtlMs = read.seconds('knowledgeTtlSeconds', DAY, 1, 365 * DAY);
    const cached = read.boolean('cache', false);
    const given = CACHE_OPTIONS.find((key) => read.raw(key) !== undefined);
    const cache = {
      cacheName: read.string('cacheName', ''),
      maxEntries: read.integer('maxEntries', 500, 1, 1_000_000),
      maxBytes: read.integer('maxBytes', 50 * 2 ** 20, 1, Number.MAX_SAFE_INTEGER),
      maxAgeSeconds: read.integer('maxAgeSeconds', 30 * DAY, 1, 3650 * DAY),
      opaqueTtlMs: read.seconds('opaqueTtlSeconds', DAY, 1, 3650 * DAY),
    };
    const asked = read.raw('diagnose');
    // true: the proxy this rule routes through, where there is one.
    const diagnose = asked === true && proxyPath !== undefined ? proxyPath : diagnoseOption(asked, `${field}.diagnose`);
    read.done();
    if (!cached && given) {
      throw new CrossrouteError('invalid-options', `${field}.${given}`, process.env.NODE_ENV !== 'production' && `${field}.${given} only applies with cache: true. Add that, or leave ${given} out.`);
    }
    if (proxyPath !== undefined) proxy.validate({ proxyPath }, field);
    return { proxyPath, knowledgeTtlMs, cache: cached ? cache : undefined, diagnose };
  },
  create: (config, context) => new AutoPolicy(config, context),
};
