import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemorySink } from '../../../src/sw/outcome/memory-sink.js';
import { block } from '../../../src/sw/policies/block.js';
import { cors } from '../../../src/sw/policies/cors.js';
import { passthrough } from '../../../src/sw/policies/passthrough.js';
import { HTTP_METHODS, type Rule } from '../../../src/sw/rules/rule.js';
import { RuleMatcher, type MatchInput } from '../../../src/sw/rules/rule-matcher.js';
import { validateRules } from '../../../src/sw/rules/validate-rules.js';

const matcherOf = (rules: Rule[]): RuleMatcher => new RuleMatcher(validateRules(rules, new MemorySink()), HTTP_METHODS);
const input = (url: string, over: Partial<MatchInput> = {}): MatchInput => ({
  url: new URL(url),
  method: 'GET',
  destination: '',
  mode: 'cors',
  sameOrigin: false,
  ...over,
});

describe('RuleMatcher', () => {
  it('matches exact origins with default ports folded, and nothing else', () => {
    const m = matcherOf([{ match: { origin: 'https://api.example.com:443' }, policy: cors }]);
    expect(m.match(input('https://api.example.com/x'))?.index).toBe(0);
    expect(m.match(input('http://api.example.com/x'))).toBeUndefined();
    expect(m.match(input('https://api.example.com:8443/x'))).toBeUndefined();
    expect(m.match(input('https://example.com/x'))).toBeUndefined();
  });

  it('matches *.example.com on every subdomain depth but not the bare domain or a look-alike', () => {
    const m = matcherOf([{ match: { origin: 'https://*.example.com' }, policy: cors }]);
    expect(m.match(input('https://a.example.com/'))?.index).toBe(0);
    expect(m.match(input('https://a.b.example.com/'))?.index).toBe(0);
    expect(m.match(input('https://example.com/'))).toBeUndefined();
    expect(m.match(input('https://badexample.com/'))).toBeUndefined();
    expect(m.match(input('http://a.example.com/'))).toBeUndefined();
    expect(m.match(input('https://a.example.com:444/'))).toBeUndefined();
  });

  it('tests path, method, destination, mode and crossOrigin', () => {
    const m = matcherOf([
      { match: { path: '/img/*', destination: 'image', mode: 'no-cors' }, policy: passthrough },
      { match: { path: '/api/**', method: 'POST' }, policy: cors },
      { match: { crossOrigin: false }, policy: block },
    ]);
    expect(m.match(input('https://x.test/img/a.png', { destination: 'image', mode: 'no-cors' }))?.index).toBe(0);
    expect(m.match(input('https://x.test/img/a/b.png', { destination: 'image', mode: 'no-cors' }))).toBeUndefined();
    expect(m.match(input('https://x.test/img/a.png', { destination: 'image' }))).toBeUndefined();
    expect(m.match(input('https://x.test/api/v1/items', { method: 'POST' }))?.index).toBe(1);
    expect(m.match(input('https://x.test/api/v1/items'))).toBeUndefined();
    expect(m.match(input('http://localhost/anything', { sameOrigin: true }))?.index).toBe(2);
  });

  it('registers routes only for the methods rules can match', () => {
    expect([...matcherOf([{ match: { method: ['POST', 'PUT'] }, policy: cors }]).methods]).toEqual(['POST', 'PUT']);
    expect([...matcherOf([{ match: {}, policy: cors }]).methods]).toEqual([...HTTP_METHODS]);
  });

  it('agrees with a linear first-match scan over the same rules (property)', () => {
    const hosts = ['a.example.com', 'b.example.com', 'example.com', 'a.b.example.com', 'other.test'];
    const ruleArb = fc.record({
      origin: fc.option(fc.constantFrom('https://a.example.com', 'https://*.example.com', 'https://other.test', 'http://*.example.com'), { nil: undefined }),
      path: fc.option(fc.constantFrom('/x', '/x/*', '/**'), { nil: undefined }),
      method: fc.option(fc.constantFrom('GET', 'POST'), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(ruleArb, { maxLength: 12 }), fc.constantFrom(...hosts), fc.constantFrom('https', 'http'), fc.constantFrom('/x', '/x/y', '/z'), fc.constantFrom('GET', 'POST'), (specs, host, scheme, path, method) => {
        const rules: Rule[] = specs.map((s) => ({ match: Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)), policy: passthrough }) as Rule);
        const url = `${scheme}://${host}${path}`;
        const expected = specs.findIndex((s) => {
          const u = new URL(url);
          const originOk = s.origin === undefined || (s.origin.includes('*') ? u.protocol === s.origin.split('//')[0] && u.hostname.endsWith(s.origin.split('*')[1]!) : u.origin === s.origin);
          const pathOk = s.path === undefined || (s.path === '/**' ? true : s.path === '/x/*' ? /^\/x\/[^/]*$/.test(path) : path === s.path);
          return originOk && pathOk && (s.method === undefined || s.method === method);
        });
        const got = matcherOf(rules).match(input(url, { method }));
        expect(got?.index ?? -1).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});
