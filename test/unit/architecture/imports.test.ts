import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Relative imports (types included) of every source file, as paths from the repository root. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
    const path = join('src', file);
    const targets = [...readFileSync(path, 'utf8').matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)].map(([, spec]) =>
      normalize(join(dirname(path), spec!)).replace(/\.js$/, '.ts'),
    );
    graph.set(path, targets);
  }
  return graph;
}

/** One cycle through the graph, as the list of files on it, or undefined. */
function findCycle(graph: Map<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the source tree', () => {
  const graph = importGraph();

  it('has no import circle between files', () => {
    expect(findCycle(graph)).toBeUndefined();
  });

  it('has no import circle between the folders of src/sw (contracts sit below their users)', () => {
    const folderOf = (file: string): string => relative('src/sw', dirname(file)).split('/')[0] || '.';
    const folders = new Map<string, string[]>();
    for (const [file, targets] of graph) {
      if (!file.startsWith('src/sw/')) continue;
      const from = folderOf(file);
      const edges = folders.get(from) ?? [];
      for (const target of targets) if (target.startsWith('src/sw/') && folderOf(target) !== from && folderOf(target) !== '.') edges.push(folderOf(target));
      folders.set(from, edges);
    }
    expect(findCycle(folders)).toBeUndefined();
  });

  it('keeps worker, page and server code apart', () => {
    const part = (file: string): string => file.split('/')[1]!;
    const apart = new Set(['sw', 'client', 'proxy']);
    for (const [file, targets] of graph) {
      for (const target of targets) {
        if (apart.has(part(file)) && apart.has(part(target))) expect(part(target), `${file} imports ${target}`).toBe(part(file));
      }
    }
  });

  it('has the panel read through crossroute/client only', () => {
    for (const [file, targets] of graph) {
      if (!file.startsWith('src/panel/')) continue;
      for (const target of targets) expect(target.startsWith('src/panel/') || target === 'src/client/index.ts', `${file} imports ${target}`).toBe(true);
    }
  });
});
