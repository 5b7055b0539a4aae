// Size fixture: the page side every app needs, registering the worker.
import { registerCrossroute } from 'crossroute/client';

void registerCrossroute('/sw.js');
