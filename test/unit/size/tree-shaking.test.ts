import { join } from 'node:path';
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
