import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import esbuild from 'rollup-plugin-esbuild';

// Library entries: consumers bundle them, so runtime dependencies stay external.
const entries = ['sw', 'client', 'panel', 'fetch-spec', 'doctor', 'recipes'];
const external = [/^workbox-/];
const input = (names) => Object.fromEntries(names.map((entry) => [`${entry}/index`, `src/${entry}/index.ts`]));

// An entry ships a development build only where package.json's exports offer one, and it must then
// differ from production (it holds code behind process.env.NODE_ENV); the check below keeps the two
// in step, so that no byte-identical copy is shipped and no development code is lost.
const { exports: packageExports } = JSON.parse(readFileSync('package.json', 'utf8'));
const hasDevelopment = (entry) => 'development' in packageExports[`./${entry}`];
const developmentEntries = entries.filter(hasDevelopment);

const plugins = (mode) => [
  // Dev-only checks and logging sit behind this test; 'production' makes them dead code that is dropped.
  replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify(mode) } }),
  nodeResolve({ browser: true }),
  esbuild({ target: 'es2022', minify: false }),
];

/** Fails the build when an entry's development condition in package.json does not match its code. */
function developmentConditionCheck() {
  const modeDependent = new Set();
  return {
    name: 'development-condition-check',
    transform(code, id) {
      if (code.includes('process.env.NODE_ENV')) modeDependent.add(id);
      return null;
    },
    buildEnd(error) {
      if (error) return;
      const reaches = (id, seen = new Set()) => {
        if (seen.has(id)) return false;
        seen.add(id);
        return modeDependent.has(id) || (this.getModuleInfo(id)?.importedIds ?? []).some((next) => reaches(next, seen));
      };
      for (const entry of entries) {
        const dependent = reaches(resolve(`src/${entry}/index.ts`));
        if (dependent && !hasDevelopment(entry)) {
          this.error(`crossroute/${entry} has code behind process.env.NODE_ENV: add a "development" condition to its export in package.json.`);
        }
        if (!dependent && hasDevelopment(entry)) {
          this.error(`crossroute/${entry} builds the same in both modes: remove the "development" condition from its export in package.json.`);
        }
      }
    },
  };
}

// One production build of every entry: code used by several (the classifier, the log's format) sits
// in one shared chunk, so an app that imports crossroute/sw and crossroute/fetch-spec bundles it once.
const production = {
  input: input(entries),
  external,
  plugins: [developmentConditionCheck(), { name: 'recipes-import-sw', resolveId: recipesImportSw }, ...plugins('production')],
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name].js',
    // fetch-spec's modules stay in its entry file, which crossroute/sw and crossroute/doctor import.
    manualChunks: (id) => (/\/src\/(log|model|idb)\//.test(id) ? 'log' : /\/src\/client\//.test(id) ? 'client' : /\/src\/fetch-spec\//.test(id) ? 'fetch-spec/index' : undefined),
  },
};

// The development builds import the other entries from their shipped files (development where one
// exists), so that in development too an app gets one copy of each.
const development = {
  input: input(developmentEntries),
  external,
  plugins: [{ name: 'sibling-entries', resolveId: siblingEntry }, ...plugins('development')],
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].development.js',
    chunkFileNames: 'chunks/[name].development.js',
    // Every file sits one folder below dist/ (an entry's folder or chunks/).
    paths: (id) => id.replace(/^entry:(.*)$/, (_, entry) => `../${entry}/index${hasDevelopment(entry) ? '.development' : ''}.js`),
  },
};

/**
 * crossroute/recipes imports the policies it uses (each exported by crossroute/sw under the same name)
 * through the package's own specifier: the app's bundler then resolves them with the app's conditions,
 * so a development worker and its recipes share one development copy of each policy (a second copy
 * would be a second policy of the same name).
 */
function recipesImportSw(id, importer) {
  if (!importer?.startsWith(resolve('src/recipes')) || !resolve(dirname(importer), id).startsWith(resolve('src/sw'))) return null;
  return { id: 'crossroute/sw', external: true };
}

/** Another entry's index, imported from inside an entry, stays external: its shipped file (see paths). */
function siblingEntry(id, importer) {
  if (!importer || !id.startsWith('.')) return null;
  const target = resolve(dirname(importer), id);
  const entry = entries.find((name) => target === resolve(`src/${name}/index.js`) && !importer.startsWith(resolve(`src/${name}`)));
  if (!entry) return null;
  return { id: `entry:${entry}`, external: true };
}

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
  { input: 'bench/tiles-sw.ts', file: 'build/app/bench-tiles-sw.js', mode: 'production' },
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
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name].js',
    // Runtime-neutral code in one chunk, the Node shell in another: crossroute/proxy loads no node:* module.
    manualChunks: (id) => (id.includes('/src/proxy/node/') ? 'node-shell' : /\/src\/(proxy\/core|fetch-spec)\//.test(id) ? 'core' : undefined),
    banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
  },
};

// The crossroute CLI runs on Node and imports the doctor from its shipped file (crossroute/doctor).
const cli = {
  input: { crossroute: 'src/cli/crossroute.ts' },
  external: [/^node:/],
  plugins: [{ name: 'sibling-entries', resolveId: siblingEntry }, esbuild({ target: 'es2022', minify: false })],
  output: {
    dir: 'dist/cli',
    format: 'es',
    paths: (id) => id.replace(/^entry:(.*)$/, '../$1/index.js'),
    banner: '#!/usr/bin/env node',
  },
};

// The SDK test page (test/fixtures/sdk-page.ts) is bundled by scripts/build-sdk-page.mjs with
// esbuild instead: the SDKs' dependencies include CommonJS modules, which this config does not read.

export default [production, development, ...app, proxy, cli];
