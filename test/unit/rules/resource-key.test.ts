import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemorySink } from '../../../src/sw/outcome/memory-sink.js';
import { block } from '../../../src/sw/policies/block.js';
import { cors } from '../../../src/sw/policies/cors.js';
import { canonicalPath, resourceKey } from '../../../src/sw/rules/resource-key.js';
import { HTTP_METHODS, type Rule } from '../../../src/sw/rules/rule.js';
import { RuleMatcher } from '../../../src/sw/rules/rule-matcher.js';
import { validateRules } from '../../../src/sw/rules/validate-rules.js';

const matcherOf = (rules: Rule[]): RuleMatcher => new RuleMatcher(validateRules(rules, new MemorySink()), HTTP_METHODS);
const matches = (m: RuleMatcher, url: string, method = 'GET'): boolean =>
  m.match({ url: new URL(url), method, destination: '', mode: 'cors', sameOrigin: false }) !== undefined;

afterEach(() => vi.restoreAllMocks());

describe('methods', () => {
  it('a rule without method matches every method a worker sees, whatever its case', () => {
    const m = matcherOf([{ match: { origin: 'https://tracker.example' }, policy: block }]);
    for (const method of ['GET', 'PURGE', 'OPTIONS', 'patch', 'PATCH', 'x-custom']) expect(matches(m, 'https://tracker.example/', method)).toBe(true);
    expect(m.otherMethods).toBe(true);
    expect([...m.methods]).toEqual([...HTTP_METHODS]);
  });

  it('method takes any token, normalized as fetch() normalizes it: get is GET, patch stays patch', () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined);
    const m = matcherOf([{ match: { method: ['get', 'PURGE', 'patch'] }, policy: block }]);
    expect([...m.rules[0]!.methods!]).toEqual(['GET', 'PURGE', 'patch']);
    expect(matches(m, 'https://a.example/', 'GET')).toBe(true);
    expect(matches(m, 'https://a.example/', 'PURGE')).toBe(true);
    expect(matches(m, 'https://a.example/', 'patch')).toBe(true);
    expect(matches(m, 'https://a.example/', 'PATCH')).toBe(false);
    expect(matches(m, 'https://a.example/', 'purge')).toBe(false);
    expect(m.otherMethods).toBe(true);
    expect([...m.methods]).toEqual(['GET']);
    expect(debug.mock.calls.map((call) => call.join(' '))).toEqual([
      expect.stringContaining('rules[0].match.method[0]: "get" is matched as "GET"'),
      expect.stringContaining('rules[0].match.method[2]: "patch" stays lower case'),
    ]);
  });
});

describe('hosts', () => {
  it('compares hosts as DNS sees them: case and one trailing dot do not matter', () => {
    const m = matcherOf([{ match: { origin: 'https://tracker.example' }, policy: block }]);
    expect(matches(m, 'https://tracker.example./x')).toBe(true);
    expect(matches(m, 'https://TRACKER.Example/x')).toBe(true);
    expect(matches(m, 'https://tracker.example../x')).toBe(false);
    const wild = matcherOf([{ match: { origin: 'https://*.tracker.example.' }, policy: block }]);
    expect(matches(wild, 'https://a.tracker.example./x')).toBe(true);
    expect(matches(wild, 'https://a.tracker.example/x')).toBe(true);
  });

  it('converts IDN and fullwidth names in exact and wildcard patterns, and says what they became', () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined);
    const m = matcherOf([{ match: { origin: ['https://*.bücher.example', 'https://ｓｈｏｐ．example', 'https://*。ＭÜＮＣＨＥＮ.example:443'] }, policy: block }]);
    expect(m.rules[0]).toMatchObject({
      origins: [
        { kind: 'subdomains', suffix: 'xn--bcher-kva.example', port: '' },
        { kind: 'exact', origin: 'https://shop.example' },
        { kind: 'subdomains', suffix: 'xn--mnchen-3ya.example', port: '' },
      ],
    });
    expect(matches(m, 'https://www.bücher.example/')).toBe(true);
    expect(matches(m, 'https://www.xn--bcher-kva.example./')).toBe(true);
    expect(matches(m, 'https://bücher.example/')).toBe(false);
    expect(matches(m, 'https://shop.example/')).toBe(true);
    expect(matches(m, 'https://a.b.münchen.example/')).toBe(true);
    expect(debug.mock.calls.map((call) => call.join(' '))).toEqual([
      expect.stringContaining('"https://*.bücher.example" is matched as "https://*.xn--bcher-kva.example"'),
      expect.stringContaining('"https://ｓｈｏｐ．example" is matched as "https://shop.example"'),
      expect.stringContaining('is matched as "https://*.xn--mnchen-3ya.example"'),
    ]);
  });

  it('an exact Unicode origin matches its punycode and trailing-dot spellings, not its subdomains', () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined);
    const m = matcherOf([{ match: { origin: 'https://Bücher.example:443' }, policy: block }]);
    expect(m.rules[0]).toMatchObject({ origins: [{ kind: 'exact', origin: 'https://xn--bcher-kva.example' }] });
    expect(matches(m, 'https://bücher.example/x')).toBe(true);
    expect(matches(m, 'https://xn--bcher-kva.example./x')).toBe(true);
    expect(matches(m, 'https://BÜCHER.example/x')).toBe(true);
    expect(matches(m, 'https://www.bücher.example/x')).toBe(false);
    expect(matches(m, 'https://bucher.example/x')).toBe(false);
    expect(debug.mock.calls.map((call) => call.join(' '))).toEqual([expect.stringContaining('"https://Bücher.example:443" is matched as "https://xn--bcher-kva.example"')]);
  });
});

describe('paths', () => {
  const admin = matcherOf([{ match: { path: '/admin/**' }, policy: block }]);
  const anyCase = matcherOf([{ match: { path: '/admin/**', pathCase: 'insensitive' }, policy: block }]);

  it.each(['/admin/x', '/%61dmin/x', '/%61DMIN/'.toLowerCase(), '//admin/', '/admin//x', '/admin;x/', '/admin;x=1/y;z', '/admin%2fusers', '/admin%2Fusers', '/admin%5cusers', '/x%2f..%2fadmin/', '/%2e/admin/'])(
    '/admin/** matches %s',
    (path) => expect(matches(admin, `https://a.example${path}`)).toBe(true),
  );

  it.each(['/admin', '/administrator/', '/x/admin/', '/ADMIN/', '/admin%252fusers', '/ad%6Din'])('/admin/** does not match %s', (path) =>
    expect(matches(admin, `https://a.example${path}`)).toBe(false),
  );

  it('pathCase "insensitive" folds ASCII case on both sides', () => {
    expect(matches(anyCase, 'https://a.example/ADMIN/')).toBe(true);
    expect(matches(anyCase, 'https://a.example/Admin;X/Users')).toBe(true);
    expect(matches(matcherOf([{ match: { path: '/API/*', pathCase: 'insensitive' }, policy: block }]), 'https://a.example/api/v1')).toBe(true);
  });

  it('canonicalPath keeps a trailing slash and other escapes, upper-cased', () => {
    expect(canonicalPath('/a/')).toBe('/a/');
    expect(canonicalPath('/a')).toBe('/a');
    expect(canonicalPath('/')).toBe('/');
    expect(canonicalPath('/caf%c3%a9/%7e')).toBe('/caf%C3%A9/~');
    expect(canonicalPath('/a/b%2f..')).toBe('/a/');
  });
});

// The property: the server's view of "same resource", built independently of resourceKey. A base URL
// is drawn as DNS labels and decoded path segments; a spelling of it changes only what servers treat
// alike (host case, a trailing dot, fullwidth letters, Unicode vs punycode, escapes of unreserved
// characters, extra or encoded slashes, ;params, dot segments). A different resource changes one
// character of one label or segment.
const lower = 'abcdefghijklmnopqrstuvwxyz';
const label = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
const idnLabel = fc.constantFrom('bücher', 'münchen', 'café', 'straße');
const segment = fc.stringMatching(/^[a-zA-Z0-9_~-][a-zA-Z0-9._~-]{0,7}$/);

interface Resource {
  labels: string[];
  segments: string[];
  trailingSlash: boolean;
}
const resource = fc.record({
  labels: fc.tuple(label, fc.oneof(label, idnLabel)).map((pair) => [...pair, 'example']),
  segments: fc.array(segment, { minLength: 1, maxLength: 4 }),
  trailingSlash: fc.boolean(),
});
const plainUrl = (r: Resource): string => `https://${r.labels.join('.')}/${r.segments.join('/')}${r.trailingSlash ? '/' : ''}`;

const fullwidth = (c: string): string => (lower.includes(c) ? String.fromCharCode(c.charCodeAt(0) + 0xff41 - 0x61) : c);
const spelling = (r: Resource): fc.Arbitrary<string> =>
  fc
    .record({
      hostCase: fc.array(fc.constantFrom('upper', 'lower', 'fullwidth'), { minLength: 40, maxLength: 40 }),
      punycode: fc.boolean(),
      trailingDot: fc.boolean(),
      escapes: fc.array(fc.constantFrom('none', 'upper', 'lower'), { minLength: 40, maxLength: 40 }),
      separators: fc.array(fc.constantFrom('/', '//', '%2f', '%2F', '/./', '/junk/../', '/%2e%2e/'.replace('%2e%2e', 'x/%2e%2e')), { minLength: 5, maxLength: 5 }),
      params: fc.array(fc.option(fc.stringMatching(/^;[a-z=0-9]{0,5}$/), { nil: undefined }), { minLength: 5, maxLength: 5 }),
    })
    .map(({ hostCase, punycode, trailingDot, escapes, separators, params }) => {
      let i = 0;
      const host = r.labels
        .map((l) => (punycode && /[^a-z0-9]/.test(l) ? new URL(`https://${l}.example`).hostname.split('.')[0]! : l))
        .join('.')
        .split('')
        .map((c) => {
          const how = hostCase[i++ % hostCase.length];
          // "ß".toUpperCase() is "SS", another name: only one-to-one case changes are spellings.
          return how === 'upper' && c.toUpperCase().length === 1 ? c.toUpperCase() : how === 'fullwidth' ? fullwidth(c) : c;
        })
        .join('');
      let j = 0;
      const spelled = r.segments.map((s, k) => {
        const chars = s.split('').map((c) => {
          const how = escapes[j++ % escapes.length];
          const hex = c.charCodeAt(0).toString(16).padStart(2, '0');
          // A segment of only dots would become a dot segment once decoded: spell those dots plainly.
          return how === 'none' || /^\.+$/.test(s) ? c : `%${how === 'upper' ? hex.toUpperCase() : hex}`;
        });
        return chars.join('') + (params[k] ?? '');
      });
      // The first separator stays "/": "//" right after the host would start a new authority in a relative reference.
      const path = spelled.map((s, k) => (k === 0 ? '/' : separators[k]) + s).join('');
      return `https://${host}${trailingDot ? '.' : ''}${path}${r.trailingSlash ? '/' : ''}`;
    });

const changeOne = (r: Resource): fc.Arbitrary<Resource> =>
  fc.record({ inHost: fc.boolean(), index: fc.nat(), char: fc.constantFrom(...'0123456789qzx') }).map(({ inHost, index, char }) => {
    const parts = inHost ? [...r.labels] : [...r.segments];
    const k = index % (inHost ? parts.length - 1 : parts.length);
    const old = parts[k]!;
    const replaced = old.slice(0, -1) + (old.endsWith(char) ? (char === 'q' ? 'z' : 'q') : char);
    parts[k] = replaced;
    return inHost ? { ...r, labels: parts } : { ...r, segments: parts };
  });

// CPU-bound (about 6 ms a run on an idle core): the default 5 s is too tight on a shared machine.
const PROPERTY_TIMEOUT_MS = 30_000;

describe('a rule matches exactly the URLs a server treats as the same resource (property)', () => {
  // Patterns with escapes get a development note each; a few hundred of them only slow the run.
  beforeEach(() => void vi.spyOn(console, 'debug').mockImplementation(() => undefined));

  it('matches every spelling of its resource, and agrees with resourceKey', () => {
    fc.assert(
      fc.property(resource.chain((r) => fc.tuple(fc.constant(r), spelling(r))), ([r, spelled]) => {
        const base = new URL(plainUrl(r));
        const m = matcherOf([{ match: { origin: base.origin, path: base.pathname }, policy: block }]);
        expect(matches(m, spelled)).toBe(true);
        expect(resourceKey(new URL(spelled))).toBe(resourceKey(base));
      }),
      { numRuns: 100 },
    );
  }, PROPERTY_TIMEOUT_MS);

  it('matches no spelling of a different resource', () => {
    fc.assert(
      fc.property(
        resource.chain((r) => changeOne(r).chain((other) => fc.tuple(fc.constant(r), spelling(other)))),
        ([r, spelled]) => {
          const base = new URL(plainUrl(r));
          const m = matcherOf([{ match: { origin: base.origin, path: base.pathname }, policy: cors }]);
          expect(matches(m, spelled)).toBe(false);
          expect(resourceKey(new URL(spelled))).not.toBe(resourceKey(base));
        },
      ),
      { numRuns: 100 },
    );
  }, PROPERTY_TIMEOUT_MS);

  it('with pathCase "insensitive", a path differing only in ASCII case is the same resource; otherwise it is not', () => {
    fc.assert(
      fc.property(resource, fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), (r, flips) => {
        const base = new URL(plainUrl(r));
        let i = 0;
        const flipped = base.pathname.replace(/[a-zA-Z]/g, (c) => (flips[i++ % flips.length] ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c));
        const url = `${base.origin}${flipped}`;
        const insensitive = matcherOf([{ match: { origin: base.origin, path: base.pathname, pathCase: 'insensitive' }, policy: block }]);
        const sensitive = matcherOf([{ match: { origin: base.origin, path: base.pathname }, policy: block }]);
        expect(matches(insensitive, url)).toBe(true);
        expect(matches(sensitive, url)).toBe(flipped === base.pathname);
      }),
      { numRuns: 300 },
    );
  });
});
