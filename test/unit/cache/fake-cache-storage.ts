/** Just enough of Cache Storage (Node has none): one map per cache name. */
export function fakeCacheStorage(): CacheStorage {
  const caches = new Map<string, Map<string, Response>>();
  const open = (name: string): Map<string, Response> => caches.get(name) ?? caches.set(name, new Map()).get(name)!;
  return {
    open: async (name: string) =>
      ({
        put: async (url: string, response: Response) => void open(name).set(url, response),
        match: async (url: string) => open(name).get(url)?.clone(),
        delete: async (url: string) => open(name).delete(url),
        keys: async () => [...open(name).keys()].map((url) => new Request(url)),
      }) as unknown as Cache,
    match: async (url: string, options?: MultiCacheQueryOptions) => open(options!.cacheName!).get(url)?.clone(),
  } as unknown as CacheStorage;
}
