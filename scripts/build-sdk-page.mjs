// Bundles the SDK e2e tests' page (the test page plus posthog-js, mixpanel-browser,
// @amplitude/analytics-browser, @segment/analytics-next, @snowplow/browser-tracker and
// plausible-tracker) with esbuild, which reads the CommonJS modules among the SDKs' dependencies;
// rollup builds everything else.
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const fixtures = resolve('test/fixtures');
// The fixtures are the app's own code, outside crossroute's package.json and its sideEffects.
const fixturesHaveSideEffects = {
  name: 'fixtures-have-side-effects',
  setup(b) {
    b.onResolve({ filter: /^\./ }, ({ path, resolveDir }) =>
      resolveDir === fixtures ? { path: join(resolveDir, path.replace(/\.js$/, '.ts')), sideEffects: true } : undefined,
    );
  },
};

await build({
  entryPoints: ['test/fixtures/sdk-page.ts'],
  outfile: 'build/app/sdk-page.js',
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  sourcemap: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [fixturesHaveSideEffects],
  logLevel: 'warning',
});
