// Workbox's modules expect a worker global and read NODE_ENV; production mode is what apps ship,
// so both routers are measured without Workbox's development assertions and logging.
process.env.NODE_ENV = 'production';
Object.assign(globalThis, { self: globalThis, location: new URL('http://localhost:8787/') });
