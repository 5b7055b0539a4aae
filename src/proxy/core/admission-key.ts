/**
 * One spelling per socket address, the URL parser's (IPv4 dotted, IPv6 compressed in brackets),
 * so `admitLoopbackForTests` entries, target URLs (already parsed) and the addresses a connector
 * is about to use compare equal: `127.0.0.1:8788`, `[::1]:8788`.
 */
export function admissionKey(urlHostname: string, port: number): string {
  return `${urlHostname}:${port}`;
}

/** The port a URL or connection uses: its own, or its scheme's default. */
export function portOf(protocol: string, port: string | number | null | undefined): number {
  return Number(port) || (protocol === 'https:' ? 443 : 80);
}

/** The URL parser's spelling of a bare IP address (as resolvers and connectors give it); the input itself if it is none. */
export function urlHostnameOf(address: string): string {
  try {
    return new URL(`http://${address.includes(':') ? `[${address}]` : address}/`).hostname;
  } catch {
    return address;
  }
}
