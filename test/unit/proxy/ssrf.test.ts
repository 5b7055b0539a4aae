import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../../demo/lab/server.js';
import { loopbackOnlyConnector, mappedResolver } from './fixtures/network-guard.js';
import { APP, SHELLS, startShell, type CallInit, type ShellName, type ShellUnderTest } from './fixtures/shells.js';
import { startUpstream, type Upstream } from './fixtures/upstream.js';

/**
 * Hostile inputs, all refused with the right status. The proxy runs with allowAnyTarget (the
 * allowlist is the first line of defence; this suite tests the ones behind it). SAFETY: names
 * resolve through a map (no DNS), and the connector throws for anything outside loopback, so a
 * broken guard fails these tests instead of opening a connection; addresses such as 10.0.0.1 or
 * 169.254.169.254 are inputs the guard must refuse before any connect.
 */
const NAMES: Record<string, readonly string[]> = {
  'loopback.attacker.test': ['127.0.0.1'],
  'v6-loopback.attacker.test': ['::1'],
  'private.attacker.test': ['10.0.0.1'],
  'metadata.attacker.test': ['169.254.169.254'],
  'cgnat.attacker.test': ['100.64.1.1'],
  'ula.attacker.test': ['fd00:ec2::254'],
  'mapped.attacker.test': ['::ffff:10.0.0.1'],
  // One private answer among public ones is enough to refuse: the guard never picks the "good" one.
  'mixed.attacker.test': ['8.8.8.8', '192.168.0.1'],
  'wireserver.attacker.test': ['168.63.129.16'],
};

interface Hostile {
  what: string;
  /** The url parameter, built once the upstream's and the lab's origins are known. */
  target: (ctx: { upstream: string; lab: string }) => string | null;
  init?: CallInit;
  status: number;
  error: string;
  /** Node shells only: the web Request constructor itself refuses this input. */
  nodeOnly?: boolean;
}

const redirectTo = (location: string) => (ctx: { upstream: string }) => `${ctx.upstream}/redirect?to=${encodeURIComponent(location)}`;
const at = (url: string) => () => url;

const HOSTILE: Hostile[] = [
  // IPv4 literals, in every spelling the URL parser accepts.
  { what: 'loopback', target: at('http://127.0.0.1:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'loopback, short form 127.1', target: at('http://127.1:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'loopback, decimal 2130706433', target: at('http://2130706433:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'loopback, hex 0x7f000001', target: at('http://0x7f000001:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'loopback, octal 0177.0.0.1', target: at('http://0177.0.0.1:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'loopback, mixed 0x7f.0.0.1', target: at('http://0x7f.0.0.1:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'private 10/8', target: at('http://10.0.0.1/'), status: 403, error: 'address-not-allowed' },
  { what: 'private 172.16/12', target: at('http://172.16.5.4/'), status: 403, error: 'address-not-allowed' },
  { what: 'private 192.168/16, octal 0300.0250.1.1', target: at('http://0300.0250.1.1/'), status: 403, error: 'address-not-allowed' },
  { what: 'cloud metadata 169.254.169.254', target: at('http://169.254.169.254/latest/meta-data/'), status: 403, error: 'address-not-allowed' },
  { what: 'cloud metadata, decimal 2852039166', target: at('http://2852039166/latest/meta-data/'), status: 403, error: 'address-not-allowed' },
  { what: 'carrier-grade NAT 100.64/10', target: at('http://100.64.0.1/'), status: 403, error: 'address-not-allowed' },
  { what: 'unspecified 0.0.0.0', target: at('http://0.0.0.0:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'unspecified, decimal 0', target: at('http://0:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'multicast 224.0.0.1', target: at('http://224.0.0.1/'), status: 403, error: 'address-not-allowed' },
  { what: 'broadcast', target: at('http://255.255.255.255/'), status: 403, error: 'address-not-allowed' },
  { what: 'reserved 240/4', target: at('http://240.0.0.1/'), status: 403, error: 'address-not-allowed' },
  // IPv6 literals.
  { what: 'IPv6 loopback [::1]', target: at('http://[::1]:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'IPv6 unspecified [::]', target: at('http://[::]:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'IPv6 link-local [fe80::1]', target: at('http://[fe80::1]/'), status: 403, error: 'address-not-allowed' },
  { what: 'IPv6 unique-local [fc00::1]', target: at('http://[fc00::1]/'), status: 403, error: 'address-not-allowed' },
  { what: 'AWS IPv6 metadata [fd00:ec2::254]', target: at('http://[fd00:ec2::254]/'), status: 403, error: 'address-not-allowed' },
  { what: 'IPv4-mapped loopback [::ffff:127.0.0.1]', target: at('http://[::ffff:127.0.0.1]:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'IPv4-mapped metadata [::ffff:a9fe:a9fe]', target: at('http://[::ffff:a9fe:a9fe]/'), status: 403, error: 'address-not-allowed' },
  { what: 'IPv4-compatible loopback [::127.0.0.1]', target: at('http://[::127.0.0.1]:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'IPv4-compatible, hex [::7f00:1]', target: at('http://[::7f00:1]:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'NAT64 of 10.0.0.1 [64:ff9b::a00:1]', target: at('http://[64:ff9b::a00:1]/'), status: 403, error: 'address-not-allowed' },
  { what: '6to4 of 127.0.0.1 [2002:7f00:1::]', target: at('http://[2002:7f00:1::]/'), status: 403, error: 'address-not-allowed' },
  { what: 'outside 2000::/3 [::1:0:0:1]', target: at('http://[::1:0:0:1]:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'ISATAP of 127.0.0.1 [::5efe:7f00:1]', target: at('http://[::5efe:7f00:1]:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'Azure WireServer 168.63.129.16', target: at('http://168.63.129.16/machine?comp=goalstate'), status: 403, error: 'address-not-allowed' },
  { what: 'a name resolving to Azure WireServer', target: at('http://wireserver.attacker.test/'), status: 403, error: 'address-not-allowed' },
  // Names: local-only by definition, or resolving to forbidden addresses (the check after DNS).
  { what: 'localhost', target: at('http://localhost:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'a subdomain of localhost', target: at('http://app.localhost:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'an .internal name', target: at('http://metadata.google.internal/'), status: 403, error: 'address-not-allowed' },
  { what: 'a name resolving to 127.0.0.1', target: at('http://loopback.attacker.test:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'a name resolving to ::1', target: at('http://v6-loopback.attacker.test:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'a name resolving to 10.0.0.1', target: at('http://private.attacker.test/'), status: 403, error: 'address-not-allowed' },
  { what: 'a name resolving to the metadata address', target: at('http://metadata.attacker.test/'), status: 403, error: 'address-not-allowed' },
  { what: 'a name resolving to CGNAT', target: at('http://cgnat.attacker.test/'), status: 403, error: 'address-not-allowed' },
  { what: 'a name resolving to fd00:ec2::254', target: at('http://ula.attacker.test/'), status: 403, error: 'address-not-allowed' },
  { what: 'a name resolving to IPv4-mapped 10.0.0.1', target: at('http://mapped.attacker.test/'), status: 403, error: 'address-not-allowed' },
  { what: 'a name resolving to a public and a private address', target: at('http://mixed.attacker.test/'), status: 403, error: 'address-not-allowed' },
  // Redirects from an allowed target: every hop is checked again.
  { what: 'redirect to 10.0.0.1', target: redirectTo('http://10.0.0.1/admin'), status: 403, error: 'address-not-allowed' },
  { what: 'redirect (307) to the metadata address', target: (ctx) => `${redirectTo('http://169.254.169.254/latest/meta-data/')(ctx)}&status=307`, status: 403, error: 'address-not-allowed' },
  { what: 'redirect to a name resolving to 127.0.0.1', target: redirectTo('http://loopback.attacker.test:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'redirect to another loopback port', target: redirectTo('http://127.0.0.1:9/'), status: 403, error: 'port-not-allowed' },
  { what: 'redirect to [::1]', target: redirectTo('http://[::1]:8080/'), status: 403, error: 'address-not-allowed' },
  { what: 'redirect to file:', target: redirectTo('file:///etc/passwd'), status: 403, error: 'target-not-allowed' },
  { what: 'redirect to gopher:', target: redirectTo('gopher://127.0.0.1:6379/_FLUSHALL'), status: 403, error: 'target-not-allowed' },
  { what: 'redirect to a URL with credentials', target: redirectTo('http://user:pass@8.8.8.8/'), status: 403, error: 'target-not-allowed' },
  { what: 'a redirect loop', target: (ctx) => `${ctx.upstream}/loop`, status: 502, error: 'too-many-redirects' },
  // Schemes, credentials, control characters, ports.
  { what: 'file:', target: at('file:///etc/passwd'), status: 400, error: 'malformed-url' },
  { what: 'gopher:', target: at('gopher://127.0.0.1:6379/_FLUSHALL'), status: 400, error: 'malformed-url' },
  { what: 'data:', target: at('data:text/plain,hello'), status: 400, error: 'malformed-url' },
  { what: 'ftp:', target: at('ftp://8.8.8.8/'), status: 400, error: 'malformed-url' },
  { what: 'credentials in the URL', target: (ctx) => ctx.lab.replace('http://', 'http://admin:secret@'), status: 400, error: 'malformed-url' },
  { what: 'CR/LF in the URL (header injection)', target: (ctx) => `${ctx.lab}/no-cors\r\nX-Injected: 1`, status: 400, error: 'malformed-url' },
  { what: 'a tab in the URL', target: (ctx) => `${ctx.lab}/no-\tcors`, status: 400, error: 'malformed-url' },
  { what: 'a blocked port (SMTP)', target: at('http://8.8.8.8:25/'), status: 403, error: 'port-not-allowed' },
  // Callers.
  { what: 'another site as Origin', target: (ctx) => `${ctx.lab}/no-cors`, init: { headers: { origin: 'https://evil.example' } }, status: 403, error: 'origin-not-allowed' },
  { what: 'Origin: null (not admitted)', target: (ctx) => `${ctx.lab}/no-cors`, init: { headers: { origin: 'null' } }, status: 403, error: 'origin-not-allowed' },
  { what: 'neither Origin nor Sec-Fetch-Site', target: (ctx) => `${ctx.lab}/no-cors`, init: { headers: {} }, status: 403, error: 'origin-not-allowed' },
  { what: 'Sec-Fetch-Site: cross-site', target: (ctx) => `${ctx.lab}/no-cors`, init: { headers: { 'sec-fetch-site': 'cross-site' } }, status: 403, error: 'origin-not-allowed' },
  { what: 'a navigation (would render the target as the app)', target: (ctx) => `${ctx.lab}/no-cors`, init: { headers: { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' } }, status: 403, error: 'destination-not-allowed' },
  { what: 'a service worker script', target: (ctx) => `${ctx.lab}/assets/script.js`, init: { headers: { 'sec-fetch-site': 'same-origin', 'sec-fetch-dest': 'serviceworker' } }, status: 403, error: 'destination-not-allowed' },
  // Methods and sizes.
  { what: 'TRACE', target: (ctx) => `${ctx.lab}/no-cors`, init: { method: 'TRACE', headers: { origin: APP } }, status: 405, error: 'method-not-allowed', nodeOnly: true },
  { what: 'an unknown method', target: (ctx) => `${ctx.lab}/no-cors`, init: { method: 'PROPFIND', headers: { origin: APP } }, status: 405, error: 'method-not-allowed' },
  { what: 'an oversize body, declared', target: (ctx) => `${ctx.lab}/beacon`, init: { method: 'POST', headers: { origin: APP }, body: 'x'.repeat(100) }, status: 413, error: 'request-too-large' },
  {
    what: 'an oversize body, chunked without a length',
    target: (ctx) => `${ctx.lab}/beacon`,
    init: { method: 'POST', headers: { origin: APP }, body: Array.from({ length: 5 }, () => new Uint8Array(20)) },
    status: 413,
    error: 'request-too-large',
  },
  { what: 'an oversize answer', target: (ctx) => `${ctx.lab}/assets/font.ttf`, status: 502, error: 'response-too-large' },
  { what: 'a slow upstream', target: (ctx) => `${ctx.lab}/slow?ms=3000`, status: 504, error: 'upstream-timeout' },
];

describe.each(SHELLS)('SSRF suite, the proxy as %s', (name: ShellName) => {
  let lab: Lab;
  let upstream: Upstream;
  let proxy: ShellUnderTest;
  const guard = loopbackOnlyConnector();
  const admitted = () => [upstream.host, new URL(lab.origin).host];

  beforeAll(async () => {
    lab = await startLab({ appOrigin: APP });
    upstream = await startUpstream();
    proxy = await startShell(name, {
      allowAnyTarget: true,
      appOrigins: [APP],
      admitLoopbackForTests: admitted(),
      resolve: mappedResolver(NAMES),
      connect: guard.connect,
      timeoutSeconds: 0.5,
      maxRedirects: 3,
      maxRequestBytes: 64,
      maxResponseBytes: 1024,
    });
  });
  afterAll(async () => {
    await proxy?.close();
    await upstream?.close();
    await lab?.close();
  });

  const cases = HOSTILE.filter((hostile) => name !== 'web' || !hostile.nodeOnly);

  it.each(cases)('refuses $what with $status $error', async (hostile) => {
    const before = guard.attempts.length;
    const reply = await proxy.call(hostile.target({ upstream: upstream.origin, lab: lab.origin }), hostile.init);
    expect({ status: reply.status, error: JSON.parse(reply.body).error }).toEqual({ status: hostile.status, error: hostile.error });
    expect(JSON.parse(reply.body).reason).toEqual(expect.any(String));
    // The only sockets opened were to the two admitted test servers.
    expect(guard.attempts.slice(before).every((attempt) => admitted().includes(attempt))).toBe(true);
  });

  it('never asked the connector for anything but the admitted test servers', () => {
    expect(guard.attempts.filter((attempt) => !admitted().includes(attempt))).toEqual([]);
  });
});

describe.each(SHELLS)('the test-only loopback admission, the proxy as %s', (name: ShellName) => {
  let lab: Lab;
  let proxy: ShellUnderTest;
  const guard = loopbackOnlyConnector();

  beforeAll(async () => {
    lab = await startLab({ appOrigin: APP });
    proxy = await startShell(name, { allow: [lab.origin], appOrigins: [APP], resolve: mappedResolver({}), connect: guard.connect });
  });
  afterAll(async () => {
    await proxy?.close();
    await lab?.close();
  });

  it('cannot be switched on by a request: an allowed loopback target stays refused whatever the request says', async () => {
    const host = new URL(lab.origin).host;
    const reply = await proxy.call(`${lab.origin}/no-cors?admitLoopbackForTests=${host}`, {
      headers: { origin: APP, 'x-admit-loopback-for-tests': host, 'admit-loopback-for-tests': host },
    });
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.body)).toMatchObject({ error: 'address-not-allowed', reason: expect.stringContaining('loopback') });
    expect(guard.attempts).toEqual([]);
    expect(lab.records()).toEqual([]);
  });
});
