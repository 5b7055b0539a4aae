import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import esbuild from 'rollup-plugin-esbuild';

// Library entries: consumers bundle them, so runtime dependencies stay external.
const entries = ['sw', 'client', 'fetch-spec', 'recipes'];
const external = [/^workbox-/, /^idb(\/|$)/];

const plugins = (mode) => [
  // Dev-only checks and logging sit behind this test; 'production' makes them dead code that is dropped.
  replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify(mode) } }),
  nodeResolve({ browser: true }),
  esbuild({ target: 'es2022', minify: false }),
];

const library = entries.flatMap((entry) =>
  ['production', 'development'].map((mode) => ({
    input: `src/${entry}/index.ts`,
    external,
    plugins: plugins(mode),
    output: { file: `dist/${entry}/index${mode === 'production' ? '' : '.development'}.js`, format: 'es', sourcemap: true },
  })),
);

// Self-contained bundles served by the demo and the tests: the demo worker in development mode (it
// logs), the worker under test in production mode (what users ship).
const app = [
  { input: 'demo/app/sw.ts', file: 'build/app/sw.js', mode: 'development' },
  { input: 'demo/app/page.ts', file: 'build/app/page.js', mode: 'development' },
  { input: 'test/fixtures/test-sw.ts', file: 'build/app/test-sw.js', mode: 'production' },
  { input: 'test/fixtures/test-page.ts', file: 'build/app/test-page.js', mode: 'production' },
  { input: 'bench/fixtures/log-writer-page.ts', file: 'build/app/log-writer-page.js', mode: 'production' },
  { input: 'test/fixtures/assets-page.ts', file: 'build/app/assets-page.js', mode: 'production' },
  { input: 'bench/opaque-cache-sw.ts', file: 'build/app/bench-opaque-cache-sw.js', mode: 'production' },
  { input: 'bench/beacon-sw.ts', file: 'build/app/bench-beacon-sw.js', mode: 'production' },
  { input: 'bench/recovery-sw.ts', file: 'build/app/bench-recovery-sw.js', mode: 'production' },
].map(({ input, file, mode }) => ({
  input,
  plugins: plugins(mode),
  output: { file, format: 'iife', sourcemap: true },
}));

// The proxy runs on servers: Node built-ins and its two dependencies stay external. The entries
// (crossroute/proxy, crossroute/proxy/node, the CLI) share chunks of code instead of copying it.
const proxy = {
  input: { index: 'src/proxy/index.ts', node: 'src/proxy/node.ts', cli: 'src/proxy/cli.ts' },
  external: [/^node:/, 'ipaddr.js', 'undici'],
  plugins: [esbuild({ target: 'es2022', minify: false })],
  output: {
    dir: 'dist/proxy',
    format: 'es',
    sourcemap: true,
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name].js',
    // Runtime-neutral code in one chunk, the Node shell in another: crossroute/proxy loads no node:* module.
    manualChunks: (id) => (id.includes('/src/proxy/node/') ? 'node-shell' : /\/src\/(proxy\/core|fetch-spec)\//.test(id) ? 'core' : undefined),
    banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
  },
};

// The SDK test page (test/fixtures/sdk-page.ts) is bundled by scripts/build-sdk-page.mjs with
// esbuild instead: the SDKs' dependencies include CommonJS modules, which this config does not read.

export default [...library, ...app, proxy];
