import { startAppServer } from '../demo/app-server.js';
import { startLab } from '../demo/lab/server.js';
import { formatBytes } from '../src/sw/cache/format-bytes.js';
import { launch, type BrowserSession, type TestPage } from '../test/helpers/browser.js';

/**
 * A real Leaflet map (npm `leaflet`, L.map and L.tileLayer) in Chromium, loading a few hundred tiles
 * from a tile server without CORS (the lab on 127.0.0.1, another origin than the app), cold, in a
 * fresh profile per load. Per system: requests the tile server received per tile (the proxy's
 * included), Cache Storage quota per tile (navigator.storage.estimate().usageDetails.caches) and
 * the tiles kept for offline use. The systems run interleaved, the order rotating by round; medians.
 *
 * Run after the build: `npx rollup -c --silent && npx tsx bench/tiles.ts`.
 */
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const ZOOM = 5;

interface System {
  label: string;
  /** bench/tiles-sw.ts's `?system=`. */
  worker: string;
  /** L.tileLayer's crossOrigin option: the tiles are then cors-mode requests. */
  crossOrigin: boolean;
}

const SYSTEMS: System[] = [
  { label: 'opaque-cache (opaque tiles)', worker: 'opaque-cache', crossOrigin: false },
  { label: 'opaque-cache, corsFallback proxy (crossOrigin tiles)', worker: 'opaque-cache-proxy', crossOrigin: true },
  { label: 'auto, proxyPath, cache', worker: 'auto', crossOrigin: false },
  { label: 'auto, proxyPath, cache (crossOrigin tiles)', worker: 'auto', crossOrigin: true },
  { label: 'Workbox CacheFirst + CacheableResponse [0, 200] + Expiration', worker: 'workbox', crossOrigin: false },
];

interface Run {
  /** The profile's quota (navigator.storage.estimate().quota). */
  quota: number;
  tiles: number;
  failed: number;
  requests: number;
  caches: number;
  kept: number;
  ms: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Loads the map in a fresh profile under `system`'s worker; resolves once the stores have settled. */
async function load(browser: BrowserSession, app: string, tiles: string, system: System, tag: string): Promise<Omit<Run, 'requests'>> {
  const page: TestPage = await browser.newPage();
  try {
    await page.goto(`${app}/bench/tiles.html`);
    await page.evaluate((url) => navigator.serviceWorker.register(url).then(() => undefined), `/bench-tiles-sw.js?system=${system.worker}&tiles=${encodeURIComponent(tiles)}`);
    await page.waitForController();
    const template = `${tiles}/tiles/{z}/{x}/{y}.png?s=${tag}`;
    const map = await page.evaluate(
      ({ template, crossOrigin, zoom }) =>
        new Promise<{ tiles: number; failed: number; ms: number }>((resolve) => {
          const L = (window as unknown as { L: typeof import('leaflet') }).L;
          const started = performance.now();
          const view = L.map('map', { center: [0, 0], zoom, zoomControl: false, attributionControl: false, fadeAnimation: false });
          const layer = L.tileLayer(template, crossOrigin ? { crossOrigin: true } : {});
          let tiles = 0;
          let failed = 0;
          layer.on('tileload', () => (tiles += 1));
          layer.on('tileerror', () => (failed += 1));
          layer.on('load', () => resolve({ tiles, failed, ms: performance.now() - started }));
          layer.addTo(view);
        }),
      { template, crossOrigin: system.crossOrigin, zoom: ZOOM },
    );
    // Stores run in the background: wait until the cache and the estimate stop changing.
    let last = '';
    let same = 0;
    let reading = { caches: 0, kept: 0, quota: 0 };
    for (let i = 0; i < 180 && same < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      reading = await page.evaluate(async () => {
        const estimate = (await navigator.storage.estimate()) as StorageEstimate & { usageDetails?: { caches?: number } };
        let kept = 0;
        for (const name of await caches.keys()) kept += (await (await caches.open(name)).keys()).length;
        return { caches: estimate.usageDetails?.caches ?? 0, kept, quota: estimate.quota ?? 0 };
      });
      const now = JSON.stringify(reading);
      same = now === last ? same + 1 : 0;
      last = now;
    }
    return { ...map, ...reading };
  } finally {
    await page.close();
  }
}

// The proxy is created at its first request, when the tile server's origin is known.
const app = await startAppServer({ proxies: { '/__proxy': () => ({ allow: [tiles.origin], admitLoopbackForTests: [new URL(tiles.origin).host] }) } });
const tiles = await startLab({ appOrigin: app.origin });
const browser = await launch('chromium');
try {
  console.log(`tile-map bench, Chromium ${browser.version}, Leaflet ${(await import('leaflet/package.json', { with: { type: 'json' } })).default.version}, Node ${process.version}`);
  const tile = await (await fetch(`${tiles.origin}/tiles/${ZOOM}/0/0.png`)).arrayBuffer();
  console.log(`a tile is a 256×256 PNG of ${tile.byteLength} B`);
  const runs = new Map<string, Run[]>(SYSTEMS.map((s) => [s.label, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = SYSTEMS.map((_, i) => SYSTEMS[(i + round) % SYSTEMS.length]!);
    for (const system of order) {
      const tag = `${system.worker}${system.crossOrigin ? '-co' : ''}-${round}`;
      const result = await load(browser, app.origin, tiles.origin, system, tag);
      const requests = tiles.records().filter((r) => r.path.endsWith(`?s=${tag}`)).length;
      runs.get(system.label)!.push({ ...result, requests });
      console.log(
        `  round ${round + 1}: ${system.label}: ${result.tiles} tiles (${result.failed} failed) in ${Math.round(result.ms)} ms, ${requests} requests, caches ${formatBytes(result.caches)} of a ${formatBytes(result.quota)} quota, ${result.kept} kept`,
      );
    }
    tiles.clear();
  }
  console.log(`\nmedians of ${ROUNDS} rounds, one cold map load each (zoom ${ZOOM}, a 4352×4352 px map)`);
  console.log('| system | tiles | requests per tile | quota per tile | tiles kept offline | map load |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const system of SYSTEMS) {
    const rs = runs.get(system.label)!;
    const perTile = (f: (r: Run) => number): number => median(rs.map((r) => f(r) / r.tiles));
    console.log(
      `| ${system.label} | ${median(rs.map((r) => r.tiles))} | ${perTile((r) => r.requests).toFixed(3)} | ${formatBytes(Math.round(perTile((r) => r.caches)))} | ${median(rs.map((r) => r.kept))} | ${Math.round(median(rs.map((r) => r.ms)))} ms |`,
    );
  }
} finally {
  await browser.close();
  await Promise.all([app.close(), tiles.close()]);
}
