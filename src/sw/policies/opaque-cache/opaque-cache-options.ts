/** The fields of fetchOptions a rule may set: none of them changes the request's mode, method, headers or body. */
export const FETCH_OPTIONS = ['credentials', 'cache', 'referrerPolicy', 'integrity', 'priority'] as const;

/** Where an answer comes from first: the cache, the cache while it is refreshed, or the network. */
export type CacheStrategy = 'cache-first' | 'stale-while-revalidate' | 'network-first';

/** Options of the `opaqueCache` policy. */
export interface OpaqueCacheOptions {
  /** Default "cache-first". */
  strategy?: CacheStrategy;
  /**
   * Cache Storage name; default "crossroute-cache:" + the rule's name. Two caches are used under it
   * (":no-cors" and ":cors"): a no-cors request may be answered with an opaque entry, a request of
   * any other mode never, so the two never share a key.
   */
  cacheName?: string;
  /**
   * Seconds an opaque entry is served before it is fetched again; default 86400 (a day). Its status
   * is hidden, so an error page may have been stored: this bounds how long it is served.
   */
  opaqueTtlSeconds?: number;
  /** Entries older than this are never served, and are evicted; default 2592000 (30 days). */
  maxAgeSeconds?: number;
  /** Default 200. */
  maxEntries?: number;
  /** Quota bytes the rule's entries may take, opaque padding included; default 268435456 (256 MiB). */
  maxBytes?: number;
  /**
   * What an opaque entry counts when its cost could not be measured (see `measureSize`); default
   * 7340032 (7 MiB, the mean of Chromium's 0–14 MiB padding).
   */
  opaqueSizeBytes?: number;
  /**
   * Measure each entry's quota cost with navigator.storage.estimate() before and after storing it;
   * default true. Writes then run one at a time (in the background, never on the response path).
   */
  measureSize?: boolean;
  /**
   * Ask for a no-cors request in cors mode first (without credentials); default false. Where the
   * origin allows CORS, the readable response shows the real status, so an error is not stored, and
   * the entry costs its real size instead of a padded one. Where it does not, the no-cors request
   * follows (the origin sees two requests).
   */
  corsCheck?: boolean;
  /**
   * What a cors-mode request gets when the origin does not allow CORS (an opaque response can never
   * answer it): "error" (the default), a readable 502 that says so; or "proxy", the proxy policy's
   * answer (crossroute/proxy mounted at `proxyPath` on the app's origin), stored like any other.
   */
  corsFallback?: 'error' | 'proxy';
  /** Where crossroute/proxy is mounted, for corsFallback "proxy"; default "/__proxy". */
  proxyPath?: string;
  /**
   * With corsFallback "error": when a cors-mode request gets the 502, ask crossroute's proxy why
   * the origin refused (as the cors policy's `diagnose`): true asks at "/__proxy", a string at that
   * path; default false. The outcome gets `reason` and `fix` once the diagnosis returns.
   */
  diagnose?: boolean | string;
  /**
   * network-first only, as Workbox's NetworkFirst: when the network has not answered within this many
   * seconds and an entry is cached, the entry answers; the late answer is still stored. Default: none.
   */
  networkTimeoutSeconds?: number;
  /**
   * Of the policy's own network requests (Workbox's fetchOptions): `credentials`, `cache`,
   * `referrerPolicy`, `integrity`, `priority`. The request's mode is the policy's to keep. Default: none.
   */
  fetchOptions?: Pick<RequestInit, (typeof FETCH_OPTIONS)[number]>;
}

export type OpaqueCacheConfig = Required<Omit<OpaqueCacheOptions, 'networkTimeoutSeconds' | 'fetchOptions' | 'diagnose'>> & {
  /** The proxy path to ask for a diagnosis, or false. */
  diagnose: string | false;
  /** 0: wait for the network. */
  networkTimeoutMs: number;
  fetchOptions: RequestInit;
};
