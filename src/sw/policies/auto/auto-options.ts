/** Options of the `auto` policy. */
export interface AutoOptions {
  /**
   * Where the app mounts crossroute/proxy (a path on its own origin, e.g. "/__proxy"). With it, a
   * request to an origin that refuses CORS is answered readable through the proxy; without it
   * (the default) such a request is sent as the page made it: opaque in no-cors mode, a failed CORS
   * check in cors mode.
   */
  proxyPath?: string;
  /** Seconds a learned CORS fact holds before the next request probes the origin again; default 86400 (a day). */
  knowledgeTtlSeconds?: number;
  /**
   * Cache GET answers in Cache Storage, cache-first; default false. Readable entries (a few hundred
   * bytes of quota) answer any request; opaque ones (padded to megabytes in Chromium) only no-cors
   * requests, and only where no readable route exists.
   */
  cache?: boolean;
  /** With `cache`: the Cache Storage name; default "crossroute-auto:" + the rule's name. */
  cacheName?: string;
  /** With `cache`: default 500. */
  maxEntries?: number;
  /** With `cache`: quota bytes the entries may take, opaque padding included; default 52428800 (50 MiB). */
  maxBytes?: number;
  /** With `cache`: entries older than this are never served, and are evicted; default 2592000 (30 days). */
  maxAgeSeconds?: number;
  /** With `cache`: seconds an opaque entry is served before it is fetched again (its status is hidden); default 86400. */
  opaqueTtlSeconds?: number;
}

export interface AutoCacheConfig {
  cacheName: string;
  maxEntries: number;
  maxBytes: number;
  maxAgeSeconds: number;
  opaqueTtlMs: number;
}

export interface AutoConfig {
  /** Absent: no proxy. */
  proxyPath: string | undefined;
  knowledgeTtlMs: number;
  cache: AutoCacheConfig | undefined;
}
