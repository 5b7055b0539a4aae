import { describe, expect, it } from 'vitest';
import { CrossrouteError } from '../../../src/sw/errors.js';
import { MemorySink } from '../../../src/sw/outcome/memory-sink.js';
import { block } from '../../../src/sw/policies/block.js';
import { cors } from '../../../src/sw/policies/cors.js';
import { opaqueCache } from '../../../src/sw/policies/opaque-cache.js';
import { passthrough } from '../../../src/sw/policies/passthrough.js';
import { validateRules } from '../../../src/sw/rules/validate-rules.js';

const lab = 'http://127.0.0.1:8788';

function refusal(rules: unknown): CrossrouteError {
  try {
    validateRules(rules, new MemorySink());
  } catch (error) {
    expect(error).toBeInstanceOf(CrossrouteError);
    return error as CrossrouteError;
  }
  throw new Error('expected the rules to be refused');
}

describe('validateRules', () => {
  it('accepts every match field and compiles the rule', () => {
    const [rule] = validateRules(
      [{ name: 'x', match: { origin: [lab, 'https://*.example.com'], path: ['/a', '/b/*'], method: ['GET', 'POST'], destination: ['image', ''], mode: 'no-cors', crossOrigin: true }, policy: cors, options: { probe: false } }],
      new MemorySink(),
    );
    expect(rule).toMatchObject({ index: 0, name: 'x', policyName: 'cors', crossOrigin: true });
    expect(rule!.origins).toEqual([{ kind: 'exact', origin: lab }, { kind: 'subdomains', scheme: 'https:', suffix: 'example.com', port: '' }]);
    expect([...rule!.methods!]).toEqual(['GET', 'POST']);
    expect(rule!.paths!.map((test) => test('/b/c'))).toEqual([false, true]);
  });

  it('accepts a trailing slash after an origin or a wildcard origin', () => {
    const [rule] = validateRules([{ match: { origin: ['https://*.example.com/', `${lab}/`] }, policy: cors }], new MemorySink());
    expect(rule!.origins).toEqual([{ kind: 'subdomains', scheme: 'https:', suffix: 'example.com', port: '' }, { kind: 'exact', origin: lab }]);
  });

  it('names rules by index by default', () => {
    expect(validateRules([{ match: {}, policy: passthrough }], new MemorySink())[0]!.name).toBe('rule 0');
  });

  it.each([
    ['not an array', { rules: [] }, 'invalid-rules', /rules must be an array/],
    ['a rule that is not an object', ['cors'], 'invalid-rule', /rules\[0\] must be an object/],
    ['an unknown rule key', [{ match: {}, policy: cors, polcy: 'x' }], 'unknown-key', /rules\[0\]\.polcy is not a known field\. Known fields: match, policy, options, name/],
    ['a policy given by its name', [{ match: {}, policy: cors }, { match: {}, policy: 'opaque-cache' }], 'invalid-policy', /rules\[1\]\.policy: rules name the policy itself, not its name\. Write `import \{ opaqueCache \} from 'crossroute\/sw'` and `policy: opaqueCache`/],
    ['something that is not a policy', [{ match: {}, policy: { handle() {} } }], 'invalid-policy', /rules\[0\]\.policy must be a policy: one imported from crossroute\/sw .* or your own \{ name, validate, create \} \(got an object\)/],
    ['two policies under one name', [{ match: {}, policy: cors }, { match: {}, policy: { ...passthrough, name: 'cors' } }], 'policy-name-taken', /rules\[1\]\.policy is named "cors", like another policy in these rules/],
    ['a RegExp path', [{ match: { path: /^\/api/ }, policy: cors }], 'invalid-match', /rules\[0\]\.match\.path\[0\] must be a string \(got the RegExp \/\^\\\/api\/\)/],
    ['a Workbox strategy name', [{ match: {}, policy: opaqueCache, options: { strategy: 'CacheFirst' } }], 'invalid-options', /options\.strategy must be one of "cache-first", .*; "CacheFirst" is Workbox's name, crossroute's is "cache-first"/],
    ['Workbox plugins', [{ match: {}, policy: cors, options: { plugins: [] } }], 'unknown-key', /options\.plugins is not an option of this policy\. crossroute policies take no Workbox plugins/],
    ['an option renamed to seconds', [{ match: {}, policy: opaqueCache, options: { maxAgeDays: 3 } }], 'unknown-key', /options\.maxAgeDays is not an option of this policy\. durations are in seconds: maxAgeSeconds\./],
    ['a missing match', [{ policy: cors }], 'invalid-match', /rules\[0\]\.match must be an object .* use \{\} to match every request/],
    ['an unknown match key', [{ match: { host: 'x' }, policy: cors }], 'unknown-key', /rules\[0\]\.match\.host is not a known field/],
    ['an origin with a path', [{ match: { origin: `${lab}/api` }, policy: cors }], 'invalid-origin', /rules\[0\]\.match\.origin: "http:\/\/127\.0\.0\.1:8788\/api" is not an origin pattern \(it has a path/],
    ['an origin that is no URL', [{ match: { origin: 'example.com' }, policy: cors }], 'invalid-origin', /not an origin pattern \(it is not a URL\)\. Write "https:\/\/api\.example\.com"/],
    ['a "*" inside a host label', [{ match: { origin: 'https://api*.example.com' }, policy: cors }], 'invalid-origin', /"\*" is only allowed as a whole leading label/],
    ['a "*" that is not the first label', [{ match: { origin: 'https://api.*.example.com' }, policy: cors }], 'invalid-origin', /"\*" is only allowed as a whole leading label/],
    ['an origin with another scheme', [{ match: { origin: 'ftp://example.com' }, policy: cors }], 'invalid-origin', /the scheme ftp: cannot be routed/],
    ['an origin of the wrong type', [{ match: { origin: 42 }, policy: cors }], 'invalid-match', /rules\[0\]\.match\.origin\[0\] must be a string \(got number 42\)/],
    ['a path without a leading slash', [{ match: { path: 'collect' }, policy: cors }], 'invalid-path', /rules\[0\]\.match\.path: path patterns start with "\/"/],
    ['a path with a query', [{ match: { path: '/a?b=1' }, policy: cors }], 'invalid-path', /matched without query or fragment/],
    ['a path with ***', [{ match: { path: '/a/***' }, policy: cors }], 'invalid-path', /use "\*" \(one segment\) or "\*\*" \(any depth\)/],
    ['a method that is not an HTTP token', [{ match: { method: 'GE T' }, policy: cors }], 'invalid-match', /rules\[0\]\.match\.method: "GE T" is not an HTTP token/],
    ['a forbidden method', [{ match: { method: ['GET', 'trace'] }, policy: cors }], 'invalid-match', /rules\[0\]\.match\.method\[1\]: "trace" is a forbidden method/],
    ['a path with ;params', [{ match: { path: '/admin;x/**' }, policy: cors }], 'invalid-path', /path parameters are dropped before matching/],
    ['an unknown pathCase', [{ match: { path: '/a', pathCase: 'lower' }, policy: cors }], 'invalid-match', /match\.pathCase: "lower" is not allowed/],
    ['an unknown destination', [{ match: { destination: ['image', 'picture'] }, policy: cors }], 'invalid-match', /rules\[0\]\.match\.destination\[1\]: "picture" is not allowed/],
    ['an unknown mode', [{ match: { mode: 'websocket' }, policy: cors }], 'invalid-match', /match\.mode: "websocket" is not allowed/],
    ['an empty list', [{ match: { method: [] }, policy: cors }], 'invalid-match', /is an empty list, which would match nothing/],
    ['crossOrigin not boolean', [{ match: { crossOrigin: 'yes' }, policy: cors }], 'invalid-match', /crossOrigin must be true or false/],
    ['a name that is not a string', [{ match: {}, policy: cors, name: 3 }], 'invalid-rule', /rules\[0\]\.name must be a string/],
    ['options that are not an object', [{ match: {}, policy: cors, options: 'x' }], 'invalid-options', /rules\[0\]\.options must be an object/],
    ['an unknown policy option', [{ match: {}, policy: cors, options: { probes: true } }], 'unknown-key', /rules\[0\]\.options\.probes is not an option of this policy\. Known options: credentials, probe/],
    ['a bad option value', [{ match: {}, policy: block, options: { status: 200 } }], 'invalid-options', /rules\[0\]\.options\.status must be a whole number from 400 to 599 \(got number 200\)/],
    ['a bad credentials value', [{ match: {}, policy: cors, options: { credentials: 'all' } }], 'invalid-options', /rules\[0\]\.options\.credentials must be one of "omit", "same-origin", "include"/],
    ['a diagnose that is neither a switch nor a path', [{ match: {}, policy: cors, options: { diagnose: 1 } }], 'invalid-options', /rules\[0\]\.options\.diagnose must be true, false or the proxy's path/],
    ['a diagnose path on another origin', [{ match: {}, policy: cors, options: { diagnose: 'https://proxy.example/__proxy' } }], 'invalid-options', /rules\[0\]\.options\.diagnose must be a path on the app's own origin/],
    ['diagnose beside an opaque-cache proxy fallback', [{ match: {}, policy: opaqueCache, options: { corsFallback: 'proxy', diagnose: true } }], 'invalid-options', /options\.diagnose applies with corsFallback "error" only/],
  ])('refuses %s with a message naming the field and the fix', (_, rules, code, message) => {
    const error = refusal(rules);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });
});

describe('the diagnose option of cors and opaque-cache', () => {
  it('true asks the proxy at /__proxy, a path asks there, false or absent asks nothing', () => {
    expect(cors.validate({ diagnose: true }, 'o').diagnose).toBe('/__proxy');
    expect(cors.validate({ diagnose: '/api/proxy' }, 'o').diagnose).toBe('/api/proxy');
    expect(cors.validate({ diagnose: false }, 'o').diagnose).toBe(false);
    expect(cors.validate({}, 'o').diagnose).toBe(false);
    expect(opaqueCache.validate({ diagnose: true }, 'o').diagnose).toBe('/__proxy');
    expect(opaqueCache.validate({}, 'o').diagnose).toBe(false);
  });
});
