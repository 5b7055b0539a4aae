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

/** The cloud instance-metadata endpoints, named so the refusal says what was at stake. */
const METADATA = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200', '169.254.170.2']);

/**
 * Why the proxy must not connect to `address` (an IP literal), or undefined for a public unicast
 * address. Only ipaddr.js's "unicast" class passes: loopback, private, link-local, CGNAT, multicast,
 * reserved and unspecified ranges are refused, and so is every IPv6 form that carries an IPv4
 * host (mapped, compatible, NAT64, 6to4, Teredo), whatever that host is.
 */
export function addressRefusal(address: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return `${address} is not an IP address`;
  }
  const normal = parsed.toString();
  if (METADATA.has(normal)) return `${normal} is a cloud metadata endpoint`;
  const range = parsed.range();
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) {
      const v4 = v6.toIPv4Address();
      return `${normal} is IPv4-mapped IPv6 of ${v4.toString()} (${RANGE_REASONS[v4.range()] ?? v4.range()}); connect to IPv4 hosts by their IPv4 address`;
    }
    // ::/96 also holds the deprecated IPv4-compatible forms (::7f00:1 is ::127.0.0.1), which ipaddr.js calls unicast.
    if (range === 'unicast' && v6.parts.slice(0, 6).every((part) => part === 0)) return `${normal} is an IPv4-compatible IPv6 address (::/96, deprecated)`;
  }
  if (range === 'unicast') return undefined;
  return `${normal} is ${RANGE_REASONS[range] ?? `in the special-purpose range "${range}"`}`;
}
