// Size fixture: the smallest useful worker, one passthrough rule and the durable log.
import { OutcomeLog, passthrough, setupCrossroute } from 'crossroute/sw';

setupCrossroute({
  rules: [{ match: { origin: 'https://cdn.example' }, policy: passthrough }],
  sink: new OutcomeLog(),
});
