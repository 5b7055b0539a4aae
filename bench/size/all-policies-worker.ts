// Size fixture: a worker with a rule for each of the six built-in policies and the durable log.
import { beacon, block, cors, opaqueCache, OutcomeLog, passthrough, proxy, setupCrossroute } from 'crossroute/sw';

setupCrossroute({
  rules: [
    { match: { origin: 'https://cdn.example', destination: 'image' }, policy: passthrough },
    { match: { origin: 'https://api.example' }, policy: cors },
    { match: { origin: 'https://old.example' }, policy: block, options: { status: 410 } },
    { match: { origin: 'https://fonts.example' }, policy: opaqueCache, options: { strategy: 'stale-while-revalidate' } },
    { match: { origin: 'https://collect.example', method: 'POST' }, policy: beacon },
    { match: { origin: 'https://partner.example' }, policy: proxy },
  ],
  sink: new OutcomeLog(),
});
