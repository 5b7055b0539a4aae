import { describe, expect, it } from 'vitest';
import { compileTargets } from '../../../src/proxy/core/target-matcher.js';

/** The allowlist: exact origins and `*.domain` patterns, and every near miss an attacker would try. */
describe('compileTargets', () => {
  const match = compileTargets(['https://api.example.com', 'https://*.example.org'], 'options.allow');
  const allowed = (url: string): boolean => match(new URL(url)) !== undefined;

  it.each([
    'https://api.example.com/x',
    'https://API.example.com:443/x',
    'https://a.example.org/',
    'https://a.b.example.org/',
    'https://xn--bcher-kva.example.org/',
  ])('allows %s', (url) => expect(allowed(url)).toBe(true));

  it.each([
    'https://api.example.com.:443/',
    'https://api.example.com:8443/',
    'http://api.example.com/',
    'https://example.org/',
    'https://a.example.org./',
    'https://evilexample.org/',
    'https://api.example.com.evil.test/',
    'https://api.example.com@evil.test/',
    'https://other.example.com/',
  ])('refuses %s', (url) => expect(allowed(url)).toBe(false));
});
