import { lookup } from 'node:dns/promises';

/** Turns a host name into the IP addresses a connection could use. */
export type Resolver = (hostname: string) => Promise<readonly string[]>;

/** The system's resolver (getaddrinfo, as Node connects by default): every address, in its order. */
export const systemResolver: Resolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);
