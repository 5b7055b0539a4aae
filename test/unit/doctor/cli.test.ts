import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../../demo/lab/server.js';
import type { DoctorRequest } from '../../../src/doctor/index.js';
import { main } from '../../../src/cli/main.js';
import { failingScenarios, OK_SCENARIOS } from './lab-scenarios.js';

/** `crossroute doctor` against the lab: its main() in this process, and twice as a process of its own. */
const CLI = fileURLToPath(new URL('../../../src/cli/crossroute.ts', import.meta.url));
const APP = 'http://localhost:5173';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The command in its own process (Node compiling it with tsx: 1-3 s, past 5 s beside other test files on 2 cores). */
function spawned(args: string[]): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** The command's main() in this process, its output captured as console.log and console.error would print it. */
async function run(args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (text) => (stdout += `${text}\n`), err: (text) => (stderr += `${text}\n`) });
  return { code, stdout, stderr };
}

/** A scenario's request as flags; throws for what the command line cannot say, so a table entry never goes untested. */
function flags(request: Partial<DoctorRequest>): string[] {
  const { method, headers = {}, credentials, body, read = [], sendActual, ...rest } = request;
  if (Object.keys(rest).length > 0 || Array.isArray(headers) || credentials === 'same-origin') throw new Error(`no flag for ${JSON.stringify(request)}`);
  return [
    ...(method ? ['--method', method] : []),
    ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
    // The doctor sends no cookies: "omit" and "same-origin" are one request to it; --credentials is "include".
    ...(credentials === 'include' ? ['--credentials'] : []),
    ...read.flatMap((name) => ['--read', name]),
    ...(body === undefined ? [] : ['--data', body]),
    ...(sendActual ? ['--send'] : []),
  ];
}

describe('crossroute doctor (CLI)', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ appOrigin: APP });
  });
  afterAll(() => lab?.close());
  beforeEach(() => lab.clear());
  const arrived = () => lab.records().map((record) => `${record.method} ${record.path}`);

  it.each(failingScenarios(APP))('%s %o: exit 1, %s and the fix', async (path, request, reason, fix, sent) => {
    const { code, stdout, stderr } = await run(['doctor', `${lab.origin}${path}`, '--origin', APP, ...flags(request)]);
    expect(code).toBe(1);
    expect(stdout).toContain(`blocked at step ${sent.length}: ${reason} (`);
    expect(stdout).toContain(`\nfix: ${fix}\n`);
    expect(stderr).toBe('');
    expect(arrived()).toEqual(sent);
  });

  it.each(OK_SCENARIOS)('%s %o: exit 0, %i request step(s)', async (path, request, count) => {
    const { code, stdout } = await run(['doctor', `${lab.origin}${path}`, '--origin', APP, ...flags(request)]);
    expect(code).toBe(0);
    expect(stdout).toContain('ok: the browser would let the page read the answer');
    expect(lab.records()).toHaveLength(count);
  });

  it('exits 1 for a POST it did not send (--send decides), and sends only the preflight', async () => {
    const { code, stdout } = await run(['doctor', `${lab.origin}/preflight`, '--origin', APP, '--method', 'POST', '-H', 'content-type: application/json']);
    expect(code).toBe(1);
    expect(stdout).toContain('unverified: the preflight passes; the actual request was not sent (add --send)');
    expect(arrived()).toEqual(['OPTIONS /preflight']);
  });

  it('--json prints the diagnosis', async () => {
    const ok = await run(['doctor', `${lab.origin}/cors`, '--origin', APP, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ verdict: 'ok', steps: [{ kind: 'request', result: 'passed', received: { status: 200 } }] });
    const wildcard = await run(['doctor', `${lab.origin}/wildcard-credentials`, '--origin', APP, '--credentials', '--json']);
    expect(wildcard.code).toBe(1);
    expect(JSON.parse(wildcard.stdout)).toMatchObject({ verdict: 'blocked', failure: { step: 0, reason: 'CORSNotSupportingCredentials' } });
  });

  it('--read prints the header the page reads', async () => {
    const unexposed = await run(['doctor', `${lab.origin}/unexposed-header`, '--origin', APP, '--read', 'X-Request-Id']);
    expect(unexposed.code).toBe(1);
    expect(unexposed.stdout).toContain('   < x-request-id: 42');
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
    const { code, stdout, stderr } = await run(args.map((arg) => arg.replace('URL', `${lab.origin}/cors`)));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toContain('usage: crossroute doctor <url> --origin <app origin>');
    expect(lab.records()).toEqual([]);
  });

  it('--help prints the usage and exits 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--read <name>');
  });

  describe('as a process', { timeout: 15_000 }, () => {
    it('exits 0 when the browser would succeed, printing each step', async () => {
      const { code, stdout } = await spawned(['doctor', `${lab.origin}/preflight`, '--origin', APP, '--method', 'PUT', '-H', 'content-type: application/json', '--data', '{}', '--send']);
      expect(code).toBe(0);
      expect(stdout).toContain(`1. preflight OPTIONS ${lab.origin}/preflight`);
      expect(stdout).toContain('   > access-control-request-method: PUT');
      expect(stdout).toContain(`2. PUT ${lab.origin}/preflight`);
      expect(stdout).toContain('ok: the browser would let the page read the answer');
      expect(arrived()).toEqual(['OPTIONS /preflight', 'PUT /preflight']);
    });

    it('exits 1 with the reason and the fix when it would not, 2 for bad input', async () => {
      const blocked = await spawned(['doctor', `${lab.origin}/preflight-405`, '--origin', APP, '--method', 'POST', '-H', 'Content-Type: application/json']);
      expect(blocked.code).toBe(1);
      expect(blocked.stdout).toContain('   < 405');
      expect(blocked.stdout).toContain('blocked at step 1: CORSPreflightDidNotSucceed (CORS preflight response did not succeed)');
      expect(blocked.stdout).toContain(`fix: answer OPTIONS /preflight-405 with 204 (not 405), Access-Control-Allow-Origin: ${APP}, Access-Control-Allow-Headers: content-type`);
      const bad = await spawned(['doctor', `${lab.origin}/cors`]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--origin is required/);
    });
  });
});
