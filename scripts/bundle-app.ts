import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile, type Plugin } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(root, 'bench/size');
const exportsMap: Record<string, string | Record<string, string>> = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports;

/**
 * Resolves `crossroute/...` through package.json's exports, as an app's bundler does in production
 * (the `default` condition), to the built dist; or to the TypeScript source behind that file, to see
 * which source modules end up in the bundle.
 */
function crossroute(from: 'dist' | 'src'): Plugin {
  return {
    name: 'crossroute',
    setup(b) {
      // The fixtures are the app's own code, outside crossroute's package.json and its sideEffects.
      b.onResolve({ filter: /^\./ }, ({ path, resolveDir }) =>
        resolveDir === fixtures ? { path: join(resolveDir, path.replace(/\.js$/, '.ts')), sideEffects: true } : undefined,
      );
      b.onResolve({ filter: /^crossroute(\/|$)/ }, ({ path }) => {
        const target = exportsMap[`.${path.slice('crossroute'.length)}`];
        const file = typeof target === 'string' ? target : target?.default;
        if (!file) return { errors: [{ text: `${path} is not exported by package.json` }] };
        const source = from === 'dist' ? file : file.replace(/^\.\/dist\//, './src/').replace(/\.js$/, '.ts');
        return { path: join(root, source) };
      });
    },
  };
}

export interface AppBundle {
  minBytes: number;
  gzipBytes: number;
  /** Repository-relative paths of the modules that put code in the bundle. */
  modules: string[];
}

/** Bundles an app entry as apps ship it: esbuild, minified ESM, NODE_ENV=production, gzip -9. */
export async function bundleApp(entry: string, from: 'dist' | 'src' = 'dist'): Promise<AppBundle> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [crossroute(from)],
    write: false,
    metafile: true,
    logLevel: 'silent',
    outfile: 'bundle.js',
  });
  const code = result.outputFiles[0]!.contents;
  return { minBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength, modules: modulesIn(result.metafile) };
}

function modulesIn(metafile: Metafile): string[] {
  const [output] = Object.values(metafile.outputs);
  return Object.entries(output?.inputs ?? {})
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => relative(root, join(process.cwd(), path)).replaceAll('\\', '/'));
}
