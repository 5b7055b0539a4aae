import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../../demo/lab/server.js';

/** `crossroute doctor`, run as a process against the lab. */
const CLI = fileURLToPath(new URL('../../../src/cli/crossroute.ts', import.meta.url));
const APP = 'http://localhost:5173';

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

// Each test starts Node, which compiles the CLI with tsx: 1-3 s alone, measured past 5 s beside
// other test files on a 2-core machine. That is start-up time, not a wait on anything racy.
describe('crossroute doctor (CLI)', { timeout: 15_000 }, () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ appOrigin: APP });
  });
  afterAll(() => lab?.close());
  beforeEach(() => lab.clear());

  it('exits 0 when the browser would succeed, printing each step', async () => {
    const { code, stdout } = await run(['doctor', `${lab.origin}/preflight`, '--origin', APP, '--method', 'PUT', '-H', 'content-type: application/json', '--data', '{}', '--send']);
    expect(code).toBe(0);
    expect(stdout).toContain(`1. preflight OPTIONS ${lab.origin}/preflight`);
    expect(stdout).toContain('   > access-control-request-method: PUT');
    expect(stdout).toContain(`2. PUT ${lab.origin}/preflight`);
    expect(stdout).toContain('ok: the browser would let the page read the answer');
    expect(lab.records().map((record) => record.method)).toEqual(['OPTIONS', 'PUT']);
  });

  it('exits 1 with the reason and the fix when it would not', async () => {
    const { code, stdout } = await run(['doctor', `${lab.origin}/preflight-405`, '--origin', APP, '--method', 'POST', '-H', 'Content-Type: application/json']);
    expect(code).toBe(1);
    expect(stdout).toContain('   < 405');
    expect(stdout).toContain("blocked at step 1: CORSPreflightDidNotSucceed (CORS preflight response did not succeed)");
    expect(stdout).toContain(`fix: answer OPTIONS /preflight-405 with 204 (not 405), Access-Control-Allow-Origin: ${APP}, Access-Control-Allow-Headers: content-type`);
  });

  it('exits 1 for a POST it did not send (--send decides), and sends only the preflight', async () => {
    const { code, stdout } = await run(['doctor', `${lab.origin}/preflight`, '--origin', APP, '--method', 'POST', '-H', 'content-type: application/json']);
    expect(code).toBe(1);
    expect(stdout).toContain('unverified: the preflight passes; the actual request was not sent (add --send)');
    expect(lab.records().map((record) => record.method)).toEqual(['OPTIONS']);
  });

  it('--json prints the diagnosis', async () => {
    const ok = await run(['doctor', `${lab.origin}/cors`, '--origin', APP, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ verdict: 'ok', steps: [{ kind: 'request', result: 'passed', received: { status: 200 } }] });
  });

  it('--credentials makes the request credentialed', async () => {
    const wildcard = await run(['doctor', `${lab.origin}/wildcard-credentials`, '--origin', APP, '--credentials', '--json']);
    expect(wildcard.code).toBe(1);
    expect(JSON.parse(wildcard.stdout)).toMatchObject({ verdict: 'blocked', failure: { step: 0, reason: 'CORSNotSupportingCredentials' } });
  });

  it('--read names a header the page reads', async () => {
    const unexposed = await run(['doctor', `${lab.origin}/unexposed-header`, '--origin', APP, '--read', 'X-Request-Id']);
    expect(unexposed.code).toBe(1);
    expect(unexposed.stdout).toContain('   < x-request-id: 42');
    expect(unexposed.stdout).toContain('fix: send Access-Control-Expose-Headers: X-Trace, x-request-id on the answer to GET /unexposed-header');
  });

  it.each([
    [['doctor', 'URL', '--origin', 'localhost'], /--origin "localhost" is not an absolute URL: write it with its scheme, e\.g\. http:\/\/localhost:5173/],
    [['doctor', 'URL'], /--origin is required/],
    [['doctor', 'URL', '--origin', APP, '--method', 'TRACE'], /--method method TRACE is a forbidden method/],
    [['doctor', 'URL', '--origin', APP, '-H', 'no-colon'], /--header "no-colon" is not 'name: value'/],
    [['doctor', 'URL', '--origin', APP, '--timeout-seconds', 'soon'], /--timeout-seconds must be a number of seconds/],
    [['doctor', 'URL', '--origin', APP, '--timeout-ms', '100'], /--timeout-ms is now --timeout-seconds/],
    [['doctor', 'URL', '--origin', APP, '--bogus'], /Unknown option '--bogus'/],
    [['doctor', 'ftp://127.0.0.1/x', '--origin', APP], /<url> "ftp:\/\/127\.0\.0\.1\/x" is not http\(s\)/],
    [['diagnose', 'URL'], /unknown command "diagnose"/],
    [['doctor'], /doctor needs the <url>/],
  ])('bad input %j exits 2 naming the flag', async (args, message) => {
    const { code, stderr } = await run(args.map((arg) => arg.replace('URL', `${lab.origin}/cors`)));
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toContain('usage: crossroute doctor <url> --origin <app origin>');
    expect(lab.records()).toEqual([]);
  });

  it('--help prints the usage and exits 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--read <name>');
  });
});
