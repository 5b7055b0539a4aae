/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { OutcomeLog, setupCrossroute } from '../../src/sw/index.js';
import { demoRules } from './demo-rules.js';

declare const self: ServiceWorkerGlobalScope;

// The page registers `/sw.js?lab=<lab origin>`: the lab's port is chosen at start.
const lab = new URL(self.location.href).searchParams.get('lab') ?? 'http://127.0.0.1:8788';
setupCrossroute({ rules: demoRules(lab), sink: new OutcomeLog({ maxEntries: 5000 }) });

self.skipWaiting();
clientsClaim();
