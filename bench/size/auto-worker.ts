// Size fixture: one auto rule (proxy and cache on) and the durable log.
import { auto, OutcomeLog, setupCrossroute } from 'crossroute/sw';

setupCrossroute({
  rules: [{ match: { origin: 'https://*.tiles.example' }, policy: auto, options: { proxyPath: '/__proxy', cache: true } }],
  sink: new OutcomeLog(),
});
