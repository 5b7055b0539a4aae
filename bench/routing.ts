import './workbox-globals.js';
import { RegExpRoute, Router } from 'workbox-routing';
import { passthrough, setupCrossroute, type Rule } from '../src/sw/index.js';

/**
 * Cost of one routing decision: crossroute's compiled matcher vs a Workbox Router holding the
 * same rules as RegExpRoutes. Both are asked through Router.findMatchingRoute, the call Workbox
 * makes for every fetch event, so the only difference is how the rules are looked up.
 */
const SIZES = [10, 100, 1000];
const ROUNDS = 7;
const DECISIONS = 20_000;

const noop = { handle: async () => new Response() };

function routers(n: number): { crossroute: Router; workbox: Router } {
  const rules: Rule[] = [];
  const workbox = new Router();
  for (let i = 0; i < n; i++) {
    rules.push({ match: { origin: `https://host${i}.example.com`, path: '/api/**' }, policy: passthrough });
    workbox.registerRoute(new RegExpRoute(new RegExp(`^https://host${i}\\.example\\.com/api/.*`), noop, 'GET'));
  }
  const crossroute = new Router();
  setupCrossroute({ rules, router: crossroute });
  return { crossroute, workbox };
}

/** A mix of requests: hits spread over all rules (first, middle, last) and misses. */
function requests(n: number): Array<{ url: URL; request: Request }> {
  const urls = [0, n >> 1, n - 1].map((i) => `https://host${i}.example.com/api/items/42`);
  urls.push('https://cdn.other.test/lib.js', `https://host${n - 1}.example.com/static/x.png`);
  return urls.map((u) => ({ url: new URL(u), request: { method: 'GET', destination: '', mode: 'cors', url: u } as Request }));
}

function nsPerDecision(router: Router, reqs: ReturnType<typeof requests>): number {
  const event = {} as ExtendableEvent;
  let matched = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < DECISIONS; i++) {
    const { url, request } = reqs[i % reqs.length]!;
    if (router.findMatchingRoute({ url, sameOrigin: false, request, event }).route) matched++;
  }
  const ns = Number(process.hrtime.bigint() - start) / DECISIONS;
  if (matched === 0) throw new Error('no request matched: the benchmark is broken');
  return ns;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

console.log(`routing decision, ${DECISIONS} decisions x ${ROUNDS} interleaved rounds, median ns per decision (Node ${process.version})`);
console.log('rules   crossroute ns   workbox ns   workbox/crossroute');
for (const n of SIZES) {
  const { crossroute, workbox } = routers(n);
  const reqs = requests(n);
  // Same answers from both before timing anything.
  for (const { url, request } of reqs) {
    const a = crossroute.findMatchingRoute({ url, sameOrigin: false, request, event: {} as ExtendableEvent }).route !== undefined;
    const b = workbox.findMatchingRoute({ url, sameOrigin: false, request, event: {} as ExtendableEvent }).route !== undefined;
    if (a !== b) throw new Error(`routers disagree on ${url.href}`);
  }
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    ours.push(nsPerDecision(crossroute, reqs));
    theirs.push(nsPerDecision(workbox, reqs));
  }
  const [c, w] = [median(ours), median(theirs)];
  console.log(`${String(n).padStart(5)}   ${c.toFixed(0).padStart(13)}   ${w.toFixed(0).padStart(10)}   ${(w / c).toFixed(1).padStart(17)}x`);
}
