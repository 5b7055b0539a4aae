/** Options of the `auto` policy. */
export interface AutoOptions {
  /**
   * Where the app mounts crossroute/proxy (a path on its own origin, e.g. "/__proxy"). With it, a
   * request to an origin that refuses CORS is answered readable through the proxy; without it
   * (the default) such a request is sent as the page made it: opaque in no-cors mode, a failed CORS
   * check in cors mode.
   */
  proxyPath?: string;
  /**
   * When a cors-mode request finds that its origin refuses CORS (its cors attempt failed while the
   * origin answered), ask crossroute's proxy why, as the cors policy's `diagnose` does: the outcome
   * gets `reason` and `fix` once the diagnosis returns (the page's answer does not wait). true asks
   * the proxy at `proxyPath` ("/__proxy" without one), a string at that path; default false. A
   * diagnosis is a preflight and a GET or HEAD from the server to the origin; auto asks one only
   * when it sees a refusal, at most once per origin and case per `knowledgeTtlSeconds` (later
   * requests go straight to the proxy).
   */
  diagnose?: boolean | string;
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
  /** The proxy path to ask for a diagnosis, or false. */
  diagnose: string | false;
}
