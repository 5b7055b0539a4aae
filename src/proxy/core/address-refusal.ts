import ipaddr from 'ipaddr.js';

/** Why each non-public range is refused, in the words an error reason uses. */
const RANGE_REASONS: Record<string, string> = {
  unspecified: 'unspecified (0.0.0.0/8, ::)',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local (169.254.0.0/16, fe80::/10)',
  loopback: 'loopback (127.0.0.0/8, ::1)',
  carrierGradeNat: 'carrier-grade NAT (100.64.0.0/10)',
  private: 'private (RFC 1918)',
  uniqueLocal: 'unique-local (fc00::/7)',
  reserved: 'reserved or documentation-only',
  benchmarking: 'benchmarking-only',
  ipv4Mapped: 'IPv4-mapped IPv6',
  rfc6052: 'NAT64 (64:ff9b::/96), which reaches IPv4 hosts',
  rfc6145: 'IPv4-translated IPv6',
  '6to4': '6to4 (2002::/16), which embeds an IPv4 host',
  teredo: 'Teredo (2001::/32), which embeds an IPv4 host',
};

/**
 * Cloud platform endpoints, named so the refusal says what was at stake: AWS's instance metadata,
 * DNS and time (IPv4 and IPv6) and ECS task metadata, Alibaba's and Oracle's metadata, and Azure's
 * WireServer, the one among them in a public range, refused for its own sake.
 */
const PLATFORM = new Map([
  ['169.254.169.254', 'a cloud metadata endpoint'],
  ['fd00:ec2::254', 'a cloud metadata endpoint'],
  ['169.254.169.253', "AWS's VPC DNS resolver"],
  ['fd00:ec2::253', "AWS's VPC DNS resolver"],
  ['169.254.169.123', "AWS's time service"],
  ['fd00:ec2::123', "AWS's time service"],
  ['169.254.170.2', 'a cloud metadata endpoint (ECS task metadata)'],
  ['100.100.100.200', 'a cloud metadata endpoint (Alibaba Cloud)'],
  ['192.0.0.192', 'a cloud metadata endpoint (Oracle Cloud)'],
  ['168.63.129.16', "Azure's WireServer (platform endpoint of every Azure VM)"],
]);

/** Global unicast, 2000::/3: the only IPv6 space the proxy connects to (an allowlist: ::/8, 100::/8... never pass). */
const GLOBAL_UNICAST = ipaddr.IPv6.parse('2000::');

/**
 * Why the proxy must not connect to `address` (an IP literal), or undefined for a public unicast
 * address. Only ipaddr.js's "unicast" class passes (for IPv6, only its part of 2000::/3): loopback,
 * private, link-local, CGNAT, multicast, reserved and unspecified ranges are refused, and so is every
 * IPv6 form that carries an IPv4 host (mapped, compatible, NAT64, 6to4, Teredo, ISATAP), whatever
 * that host is, and the cloud platform endpoints above.
 */
export function addressRefusal(address: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return `${address} is not an IP address`;
  }
  const normal = parsed.toString();
  const platform = PLATFORM.get(normal);
  if (platform) return `${normal} is ${platform}`;
  const range = parsed.range();
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) {
      const v4 = v6.toIPv4Address();
      return `${normal} is IPv4-mapped IPv6 of ${v4.toString()} (${RANGE_REASONS[v4.range()] ?? v4.range()}); connect to IPv4 hosts by their IPv4 address`;
    }
    // ::/96 also holds the deprecated IPv4-compatible forms (::7f00:1 is ::127.0.0.1), which ipaddr.js calls unicast.
    if (range === 'unicast' && v6.parts.slice(0, 6).every((part) => part === 0)) return `${normal} is an IPv4-compatible IPv6 address (::/96, deprecated)`;
    // ISATAP's interface identifier (…:0:5efe:a.b.c.d, …:200:5efe:a.b.c.d) carries an IPv4 host.
    if (range === 'unicast' && (v6.parts[4]! & 0xfdff) === 0 && v6.parts[5] === 0x5efe) return `${normal} is an ISATAP address, which embeds an IPv4 host`;
    if (range === 'unicast' && !v6.match(GLOBAL_UNICAST, 3)) return `${normal} is outside global unicast (2000::/3)`;
  }
  if (range === 'unicast') return undefined;
  return `${normal} is ${RANGE_REASONS[range] ?? `in the special-purpose range "${range}"`}`;
}
