import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../../demo/lab/server.js';

/** `crossroute-proxy`, the standalone CLI, run as a process. */
const CLI = fileURLToPath(new URL('../../../src/proxy/cli.ts', import.meta.url));
const APP = 'http://localhost:5173';

function run(args: string[]): { lines: AsyncIterator<string>; exit: Promise<{ code: number | null; stderr: string }>; kill(): void } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    lines: createInterface({ input: child.stdout })[Symbol.asyncIterator](),
    exit: new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr }))),
    kill: () => child.kill(),
  };
}

describe('crossroute-proxy (CLI)', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ appOrigin: APP });
  });
  afterAll(() => lab?.close());

  it('refuses to start without --allow, and says how to allow', async () => {
    const { code, stderr } = await run([]).exit;
    expect(code).toBe(2);
    expect(stderr).toMatch(/--allow is empty: the proxy is closed by default/);
    expect(stderr).toContain('usage: crossroute-proxy --allow <origin>');
  });

  it('names the flag that is wrong', async () => {
    expect((await run(['--allow', 'https://api.example.com', '--timeout-ms', 'soon']).exit).stderr).toMatch(/--timeout-ms must be a whole number \(got "soon"\)/);
    expect((await run(['--allow', 'https://api.example.com', '--app-origin', 'https://app.example/']).exit).stderr).toMatch(/--app-origin\[0\] must be an origin/);
  });

  it('serves ?url= on its port with the address guard on: a loopback target is refused, and the refusal is logged', async () => {
    const cli = run(['--allow', lab.origin, '--app-origin', APP, '--port', '0']);
    try {
      const started = (await cli.lines.next()).value as string;
      const [, base] = /^crossroute-proxy on (http:\/\/127\.0\.0\.1:\d+)\/\?url=<target>$/.exec(started) ?? [];
      expect(base).toBeDefined();
      const response = await fetch(`${base}/?url=${encodeURIComponent(`${lab.origin}/no-cors`)}`, { headers: { origin: APP } });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: 'address-not-allowed' });
      expect(response.headers.get('access-control-allow-origin')).toBe(APP);
      expect((await cli.lines.next()).value).toMatch(new RegExp(`^403 GET ${lab.origin}/no-cors address-not-allowed \\d+ ms$`));
      expect(lab.records()).toEqual([]);
    } finally {
      cli.kill();
    }
  });
});
