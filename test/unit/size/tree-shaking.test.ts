import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { absentFromPassthrough } from '../../../bench/size/bundles.js';
import { bundleApp } from '../../../scripts/bundle-app.js';

// Bundles the size fixtures from source (crossroute/* resolved to src/) and reads which modules
// put code in the bundle: rules name the policies they use, so the others must be left out.
const fixture = (name: string): string => join(import.meta.dirname, '../../../bench/size', name);
const absentIn = (modules: string[]) => (path: string) => !modules.some((m) => (path.endsWith('/') ? m.startsWith(path) : m === path));

describe('tree-shaking of the built-in policies', () => {
  it('a passthrough-only worker contains none of the other policies, the outbox or the cache budget', async () => {
    const { modules } = await bundleApp(fixture('passthrough-worker.ts'), 'src');
    expect(modules).toContain('src/sw/policies/passthrough.ts');
    expect(absentFromPassthrough.filter((path) => !absentIn(modules)(path))).toEqual([]);
  });

  it('workers with the other policies contain each of those modules (the check above can see them)', async () => {
    const all = await bundleApp(fixture('all-policies-worker.ts'), 'src');
    const auto = await bundleApp(fixture('auto-worker.ts'), 'src');
    expect(absentFromPassthrough.filter(absentIn([...all.modules, ...auto.modules]))).toEqual([]);
    expect(auto.modules).toContain('src/sw/knowledge/cors-knowledge.ts');
  });
});

describe('crossroute/panel', () => {
  it('is never part of a service-worker bundle: no worker fixture holds a module of src/panel/, the panel page does', async () => {
    const workers = ['passthrough-worker.ts', 'all-policies-worker.ts', 'auto-worker.ts', 'sw-with-fetch-spec-worker.ts'];
    for (const worker of workers) {
      const { modules } = await bundleApp(fixture(worker), 'src');
      expect(modules.filter((m) => m.startsWith('src/panel/')), worker).toEqual([]);
    }
    expect((await bundleApp(fixture('panel-page.ts'), 'src')).modules).toContain('src/panel/crossroute-panel.ts');
  });

  it('is not reachable from the built crossroute/sw (dist/), in production or development', () => {
    const reachable = (file: string, seen = new Set<string>()): Set<string> => {
      if (seen.has(file)) return seen;
      seen.add(file);
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*['"](\.{1,2}\/[^'"]+)['"]/g)) reachable(resolve(dirname(file), spec!), seen);
      return seen;
    };
    for (const entry of ['dist/sw/index.js', 'dist/sw/index.development.js']) {
      const files = [...reachable(resolve(entry))];
      expect(files.length, entry).toBeGreaterThan(1);
      expect(files.filter((f) => f.includes('/dist/panel/') || readFileSync(f, 'utf8').includes('crossroute-panel')), entry).toEqual([]);
    }
  });
});
