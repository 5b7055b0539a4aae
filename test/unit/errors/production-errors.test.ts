import { build } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Validation in the production build: the same refusals, with codes and fields instead of prose. */
async function bundle(mode: 'production' | 'development'): Promise<string> {
  const result = await build({
    stdin: {
      contents: `
        import { validateRules } from './src/sw/rules/validate-rules.ts';
        import { block } from './src/sw/policies/block.ts';
        import { MemorySink } from './src/sw/outcome/memory-sink.ts';
        export function refuse(rules) {
          try { validateRules(rules, new MemorySink()); } catch (error) { return { name: error.name, code: error.code, field: error.field, message: error.message }; }
        }
        export const policies = { block };`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    write: false,
    minify: true,
    define: { 'process.env.NODE_ENV': JSON.stringify(mode) },
  });
  return result.outputFiles[0]!.text;
}

async function load(source: string): Promise<{ refuse(rules: unknown): Record<string, string>; policies: Record<string, unknown> }> {
  return import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);
}

describe('errors in the production build', () => {
  it('still refuse a bad rule before anything registers, with the code and the field, without the development prose', async () => {
    const production = await bundle('production');
    expect(production).not.toContain('is not an option of this policy');
    expect(production).not.toContain('rules name the policy itself');
    const { refuse, policies } = await load(production);
    expect(refuse([{ match: {}, policy: policies['block'], options: { status: 200 } }])).toEqual({
      name: 'CrossrouteError',
      code: 'invalid-options',
      field: 'rules[0].options.status',
      message: 'invalid-options at rules[0].options.status (the development build explains; the README lists every code)',
    });
    expect(refuse([{ match: { origin: 'example.com' }, policy: policies['block'] }])).toMatchObject({ code: 'invalid-origin', field: 'rules[0].match.origin' });
  });

  it('explain the fix in the development build', async () => {
    const { refuse, policies } = await load(await bundle('development'));
    expect(refuse([{ match: {}, policy: policies['block'], options: { status: 200 } }])!.message).toBe('rules[0].options.status must be a whole number from 400 to 599 (got number 200).');
  });

  it('every code the worker code throws is listed in the README with its fix', () => {
    const readme = readFileSync('README.md', 'utf8');
    const codes = new Set<string>();
    for (const file of readdirSync('src/sw', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
      for (const [, code] of readFileSync(`src/sw/${file}`, 'utf8').matchAll(/new CrossrouteError\(\s*'([a-z-]+)'/g)) codes.add(code!);
    }
    expect(codes.size).toBeGreaterThan(10);
    for (const code of codes) expect(readme, code).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });
});
