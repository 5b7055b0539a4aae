import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressRefusal } from '../../../src/proxy/index.js';
import { hostRefusal } from '../../../src/proxy/core/host-refusal.js';

/** The address rules on their own: what is public, what is not, and every spelling of an IPv4 address. */
describe('addressRefusal', () => {
  it.each([
    ['127.0.0.1', /loopback/],
    ['127.255.255.254', /loopback/],
    ['10.1.2.3', /private/],
    ['172.31.255.255', /private/],
    ['192.168.0.1', /private/],
    ['169.254.169.254', /cloud metadata/],
    ['169.254.1.1', /link-local/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['0.0.0.0', /unspecified/],
    ['0.1.2.3', /unspecified/],
    ['224.0.0.251', /multicast/],
    ['255.255.255.255', /broadcast/],
    ['192.0.2.10', /reserved/],
    ['198.18.0.1', /reserved/],
    ['::1', /loopback/],
    ['::', /unspecified/],
    ['fe80::1', /link-local/],
    ['fc00::1', /unique-local/],
    ['fd00:ec2::254', /cloud metadata/],
    ['ff02::1', /multicast/],
    ['::ffff:127.0.0.1', /IPv4-mapped IPv6 of 127\.0\.0\.1 \(loopback/],
    ['::ffff:8.8.8.8', /IPv4-mapped IPv6 of 8\.8\.8\.8/],
    ['::7f00:1', /IPv4-compatible/],
    ['64:ff9b::a00:1', /NAT64/],
    ['2002:7f00:1::', /6to4/],
    ['2001::1', /Teredo/],
    ['2001:db8::1', /reserved/],
    ['168.63.129.16', /Azure's WireServer/],
    ['169.254.169.253', /AWS's VPC DNS resolver/],
    ['fd00:ec2::123', /AWS's time service/],
    ['192.0.0.192', /Oracle Cloud/],
    ['::1:0:0:1', /outside global unicast/],
    ['100::1', /discard|outside global unicast/],
    ['::5efe:7f00:1', /ISATAP/],
    ['2a00:1450::5efe:a00:1', /ISATAP/],
    ['2a00:1450::200:5efe:a00:1', /ISATAP/],
    ['not-an-address', /not an IP address/],
  ])('refuses %s', (address, reason) => {
    expect(addressRefusal(address)).toMatch(reason);
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.215.14', '168.63.129.17', '2606:4700:4700::1111', '2a00:1450:4001:82a::200e'])('lets the public address %s through', (address) => {
    expect(addressRefusal(address)).toBeUndefined();
  });

  it('gives every URL spelling of an IPv4 address (decimal, hex, octal, short) the verdict of its dotted form', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n) => {
        const octets = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
        const dotted = octets.join('.');
        const spellings = [String(n), `0x${n.toString(16)}`, octets.map((o) => `0${o.toString(8)}`).join('.'), `${octets[0]}.${n & 0xffffff}`];
        for (const spelling of spellings) {
          const host = new URL(`http://${spelling}/`).hostname;
          expect(host).toBe(dotted);
          expect(hostRefusal(host)).toBe(addressRefusal(dotted));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses names that are local by definition before any lookup', () => {
    for (const name of ['localhost', 'api.localhost', 'printer.local', 'metadata.google.internal', 'router.home.arpa', 'localhost.']) {
      expect(hostRefusal(name)).toMatch(/local-only name/);
    }
    for (const name of ['api.example.com', 'localhost.example.com', 'internal.example.com']) expect(hostRefusal(name)).toBeUndefined();
  });
});
