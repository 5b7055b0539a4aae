// Bundles the SDK e2e tests' page (the test page plus posthog-js, mixpanel-browser,
// @amplitude/analytics-browser and @segment/analytics-next) with esbuild, which reads the CommonJS
// modules among the SDKs' dependencies; rollup builds everything else.
import { build } from 'esbuild';

await build({
  entryPoints: ['test/fixtures/sdk-page.ts'],
  outfile: 'build/app/sdk-page.js',
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  sourcemap: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
