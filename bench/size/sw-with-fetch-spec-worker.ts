// Size fixture: the all-policies worker that also calls the classifier through crossroute/fetch-spec,
// which must share the worker's copy of it rather than bundle a second one.
import { explainRequest } from 'crossroute/fetch-spec';
import './all-policies-worker.js';

self.addEventListener('message', (event) => event.ports[0]?.postMessage(explainRequest(event.data)));
