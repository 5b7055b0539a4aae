// Workbox's modules expect a worker global and read NODE_ENV; production mode is what apps ship,
// so both routers are measured without Workbox's development assertions and logging.
process.env.NODE_ENV = 'production';
// crossroute/sw adds its fetch listener when loaded; Node's global scope has no events.
Object.assign(globalThis, { self: globalThis, location: new URL('http://localhost:8787/'), addEventListener: () => undefined });
