/**
 * The CORS lab (demo/lab) driven with Node's fetch. Node does not enforce
 * CORS, so these tests check what the lab *sends* (status, ACAO present or
 * absent, preflight answers) and what it *records*; the browser-side outcome
 * of each scenario is the e2e tests' business.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FONT_CANDIDATES, PIXEL } from '../../../demo/lab/assets.js';
import { crc32, solidPng } from '../../../demo/lab/png.js';
import { startLab, type Lab } from '../../../demo/lab/server.js';

const APP = 'http://localhost:1234';

/** Names of the CORS response headers present, so "no CORS headers" is `toEqual([])`. */
function corsHeaderNames(res: Response): string[] {
  return [...res.headers.keys()].filter((name) => name.startsWith('access-control-'));
}

/** Decodes the lab's PNG just enough to check size and colour (signature, IHDR, one IDAT). */
function decodePng(png: Buffer): { width: number; height: number; firstRow: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const chunks = new Map<string, Buffer>();
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const typeAndData = png.subarray(at + 4, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length)).toBe(crc32(typeAndData));
    chunks.set(typeAndData.subarray(0, 4).toString('latin1'), typeAndData.subarray(4));
    at += 12 + length;
  }
  expect([...chunks.keys()]).toEqual(['IHDR', 'IDAT', 'IEND']);
  const ihdr = chunks.get('IHDR')!;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const raw = inflateSync(chunks.get('IDAT')!);
  expect(raw.length).toBe(height * (1 + width * 3));
  return { width, height, firstRow: raw.subarray(0, 1 + width * 3) };
}

describe('png', () => {
  it('computes the standard CRC-32 check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('encodes a solid truecolour image', () => {
    const { width, height, firstRow } = decodePng(solidPng(3, 2, [1, 2, 3]));
    expect([width, height]).toEqual([3, 2]);
    expect([...firstRow]).toEqual([0, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
  });
});

describe('lab endpoints', () => {
  let lab: Lab;
  const get = (path: string, init?: RequestInit) => fetch(lab.origin + path, init);

  beforeAll(async () => {
    lab = await startLab({ port: 0, appOrigin: APP });
  });
  afterAll(() => lab.close());
  beforeEach(() => lab.clear());

  it('listens on 127.0.0.1, a different origin from the localhost app', () => {
    expect(lab.origin).toBe(`http://127.0.0.1:${lab.port}`);
    expect(lab.port).toBeGreaterThan(0);
  });

  it('GET /cors grants the app origin, with Vary: Origin and no-cache', async () => {
    const res = await get('/cors', { headers: { origin: APP } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('vary')).toBe('Origin');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.json()).toEqual({ endpoint: 'cors' });
  });

  it('GET /no-cors answers without any CORS header', async () => {
    const res = await get('/no-cors', { headers: { origin: APP } });
    expect(res.status).toBe(200);
    expect(corsHeaderNames(res)).toEqual([]);
    expect(await res.json()).toEqual({ endpoint: 'no-cors' });
  });

  it('GET /cors-redirect is a 302 to /cors carrying ACAO', async () => {
    const res = await get('/cors-redirect', { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/cors');
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('GET /no-cors-redirect is a 302 to /cors without CORS; following it logs both hops', async () => {
    const first = await get('/no-cors-redirect', { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/cors');
    expect(corsHeaderNames(first)).toEqual([]);

    lab.clear();
    const followed = await get('/no-cors-redirect');
    expect(followed.url).toBe(`${lab.origin}/cors`);
    expect(lab.records().map((r) => r.path)).toEqual(['/no-cors-redirect', '/cors']);
  });

  it('OPTIONS /preflight grants methods, echoes requested headers, max-age 0', async () => {
    const res = await get('/preflight', {
      method: 'OPTIONS',
      headers: {
        origin: APP,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization,content-type,x-custom',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    const methods = res.headers.get('access-control-allow-methods')!.split(', ');
    expect(methods).toEqual(expect.arrayContaining(['POST', 'PUT', 'PATCH', 'DELETE']));
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization,content-type,x-custom');
    expect(res.headers.get('access-control-max-age')).toBe('0');
  });

  it('OPTIONS /preflight without Access-Control-Request-Headers allows the demo headers', async () => {
    const res = await get('/preflight', { method: 'OPTIONS', headers: { 'access-control-request-method': 'DELETE' } });
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type, authorization, x-custom');
  });

  it('actual /preflight request echoes method, content type and body with ACAO', async () => {
    const res = await get('/preflight', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await res.json()).toEqual({ method: 'PATCH', contentType: 'application/json', body: '{"a":1}' });
  });

  it('/preflight-405: OPTIONS is 405 without CORS headers, the actual request would pass', async () => {
    const preflight = await get('/preflight-405', { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(405);
    expect(corsHeaderNames(preflight)).toEqual([]);
    expect(preflight.headers.get('allow')).not.toContain('OPTIONS');

    const actual = await get('/preflight-405', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(actual.status).toBe(200);
    expect(actual.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('/preflight-401: 401 (with ACAO) to the credential-less preflight, 200 once Authorization is sent', async () => {
    const preflight = await get('/preflight-401', {
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(401);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP);
    expect(preflight.headers.get('www-authenticate')).toMatch(/^Bearer /);

    expect((await get('/preflight-401')).status).toBe(401);

    const actual = await get('/preflight-401', { headers: { authorization: 'Bearer lab' } });
    expect(actual.status).toBe(200);
    expect(actual.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await actual.json()).toMatchObject({ method: 'GET' });
  });

  it('/missing-allow-headers: preflight passes origin and methods but lists no headers', async () => {
    const preflight = await get('/missing-allow-headers', {
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBeNull();

    const actual = await get('/missing-allow-headers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(actual.status).toBe(200);
    expect(actual.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('POST /delete-post executes without CORS headers; /deleted (with ACAO) proves it', async () => {
    const res = await get('/delete-post', { method: 'POST', body: new URLSearchParams({ id: '13' }) });
    expect(res.status).toBe(200);
    expect(corsHeaderNames(res)).toEqual([]);
    expect(await res.text()).toBe('deleted post 13');
    const [record] = lab.records();
    expect(record).toMatchObject({
      method: 'POST',
      path: '/delete-post',
      body: 'id=13',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
    });

    const deleted = await get('/deleted');
    expect(deleted.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await deleted.json()).toEqual({ deleted: ['13'] });
  });

  it('/delete-post rejects a missing id (400) and non-POST methods (405)', async () => {
    expect((await get('/delete-post', { method: 'POST', body: 'nothing=here' })).status).toBe(400);
    const wrong = await get('/delete-post');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it('POST /beacon is 204 without CORS and records the body', async () => {
    const res = await get('/beacon', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'ping' });
    expect(res.status).toBe(204);
    expect(corsHeaderNames(res)).toEqual([]);
    expect(lab.records()[0]).toMatchObject({ method: 'POST', path: '/beacon', body: 'ping', bodyBytes: 4 });
  });

  it('/beacon?cors=1 grants the app origin with credentials, preflight included', async () => {
    const res = await get('/beacon?cors=1', { method: 'POST', body: '{}' });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');

    const preflight = await get('/beacon?cors=1', {
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');

    const noCorsPreflight = await get('/beacon', { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST' } });
    expect(noCorsPreflight.status).toBe(405);
    expect(corsHeaderNames(noCorsPreflight)).toEqual([]);
  });

  const TEXT_ASSETS = [
    ['/assets/style.css', 'text/css; charset=utf-8', '.lab-styled { color: rgb(0, 128, 0); }\n'],
    ['/assets/script.js', 'text/javascript; charset=utf-8', 'globalThis.labScriptRan = true;\n'],
    ['/assets/data.json', 'application/json; charset=utf-8', '{"endpoint":"data","items":[1,2,3]}'],
  ] as const;

  it.each(TEXT_ASSETS)('%s has its content type and no CORS unless ?cors=1', async (path, type, body) => {
    const plain = await get(path);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe(type);
    expect(plain.headers.get('cache-control')).toBe('no-cache');
    expect(corsHeaderNames(plain)).toEqual([]);
    expect(await plain.text()).toBe(body);

    const cors = await get(`${path}?cors=1`);
    expect(cors.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('/assets/pixel.png is a valid PNG of the advertised size and colour', async () => {
    const res = await get('/assets/pixel.png');
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(corsHeaderNames(res)).toEqual([]);
    const { width, height, firstRow } = decodePng(Buffer.from(await res.arrayBuffer()));
    expect([width, height]).toEqual([PIXEL.width, PIXEL.height]);
    expect([...firstRow.subarray(1, 4)]).toEqual(PIXEL.rgb);
    expect((await get('/assets/pixel.png?cors=1')).headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('/assets/font.ttf serves a TrueType font from disk, or 404s saying why', async () => {
    const res = await get('/assets/font.ttf?cors=1');
    if (FONT_CANDIDATES.some((path) => existsSync(path))) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('font/ttf');
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expect(Buffer.from(await res.arrayBuffer()).readUInt32BE(0)).toBe(0x00010000); // sfnt version 1.0
    } else {
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('lab font unavailable');
    }
  });

  it('assets answer HEAD and reject writes', async () => {
    const head = await get('/assets/data.json', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('35');
    expect((await get('/assets/data.json', { method: 'PUT', body: 'x' })).status).toBe(405);
  });

  it('GET /slow?ms=N waits about N ms; bad ms is 400', async () => {
    const started = performance.now();
    const res = await get('/slow?ms=120');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('slept 120ms');
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
    expect((await get('/slow?ms=-1')).status).toBe(400);
    expect((await get('/slow')).status).toBe(400);
  });

  it('/status/:code answers that status, ACAO only with ?cors=1, Retry-After on request', async () => {
    const teapot = await get('/status/418');
    expect(teapot.status).toBe(418);
    expect(corsHeaderNames(teapot)).toEqual([]);

    const busy = await get('/status/503?cors=1&retry-after=7', { method: 'POST', body: 'x' });
    expect(busy.status).toBe(503);
    expect(busy.headers.get('access-control-allow-origin')).toBe(APP);
    expect(busy.headers.get('retry-after')).toBe('7');

    const empty = await get('/status/204');
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
  });

  it.each(['/status/99', '/status/101', '/status/600', '/status/abc', '/status/', '/status/503?retry-after=soon'])(
    '%s is 400',
    async (path) => {
      expect((await get(path)).status).toBe(400);
    },
  );

  it('unknown paths are 404 without CORS, and recorded', async () => {
    const res = await get('/nope?x=1');
    expect(res.status).toBe(404);
    expect(corsHeaderNames(res)).toEqual([]);
    expect(lab.records().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /nope?x=1']);
  });

  it('records every request, preflights included, before answering', async () => {
    await get('/preflight', { method: 'OPTIONS', headers: { 'Access-Control-Request-Method': 'PUT', 'X-Mixed-Case': 'yes' } });
    const slow = get('/slow?ms=300');
    await expect.poll(() => lab.records().length).toBe(2); // /slow is logged while still pending
    await slow;

    const [preflight, pending] = lab.records();
    expect(preflight).toMatchObject({ method: 'OPTIONS', path: '/preflight', body: '', bodyBytes: 0 });
    expect(preflight!.headers).toMatchObject({ 'access-control-request-method': 'PUT', 'x-mixed-case': 'yes' });
    expect(pending).toMatchObject({ method: 'GET', path: '/slow?ms=300' });
    expect(typeof pending!.time).toBe('number');
  });

  it('records UTF-8 bodies with their byte length', async () => {
    await get('/preflight', { method: 'PUT', body: 'héllo' });
    expect(lab.records()[0]).toMatchObject({ body: 'héllo', bodyBytes: 6 });
  });

  it('caps recorded bodies at 1 MiB and answers 413 beyond', async () => {
    const res = await get('/beacon', { method: 'POST', body: 'a'.repeat(1024 * 1024 + 10) });
    expect(res.status).toBe(413);
    const [record] = lab.records();
    expect(record!.bodyBytes).toBe(1024 * 1024 + 10);
    expect(record!.body.length).toBe(1024 * 1024);
  });

  it('GET /__log returns the records with ACAO and is not itself recorded', async () => {
    await get('/cors', { method: 'GET', headers: { 'X-Custom': 'v' } });
    const res = await get('/__log');
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    const log = (await res.json()) as { method: string; path: string; headers: Record<string, string>; body: string }[];
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ method: 'GET', path: '/cors', body: '', headers: { 'x-custom': 'v' } });
    expect(lab.records()).toEqual(log);
  });

  it('DELETE /__log and POST /__log/clear empty the log; OPTIONS /__log allows DELETE', async () => {
    const preflight = await get('/__log', { method: 'OPTIONS', headers: { 'access-control-request-method': 'DELETE' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('DELETE');

    await get('/no-cors');
    const del = await get('/__log', { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(del.headers.get('access-control-allow-origin')).toBe(APP);
    expect(lab.records()).toEqual([]);

    await get('/no-cors');
    expect((await get('/__log/clear', { method: 'POST' })).status).toBe(204);
    expect(await (await get('/__log')).json()).toEqual([]);
  });
});

describe('lab lifecycle', () => {
  it('close() stops listening and kills pending requests; restart on the same port works', async () => {
    const lab = await startLab({ port: 0, appOrigin: APP });
    const { port, origin } = lab;
    const pending = fetch(`${origin}/slow?ms=10000`);
    await expect.poll(() => lab.records().length).toBe(1);

    const started = performance.now();
    await lab.close();
    await expect(pending).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(2000);
    await expect(fetch(`${origin}/cors`)).rejects.toThrow();
    await lab.close(); // idempotent

    const again = await startLab({ port, appOrigin: APP });
    try {
      expect(again.origin).toBe(origin);
      expect(again.records()).toEqual([]);
      expect((await fetch(`${origin}/cors`)).status).toBe(200);
    } finally {
      await again.close();
    }
  });

  it('refuses non-loopback hosts and non-origin appOrigins', async () => {
    await expect(startLab({ appOrigin: APP, host: '0.0.0.0' })).rejects.toThrow(/loopback/);
    await expect(startLab({ appOrigin: APP, host: 'localhost' })).rejects.toThrow(/loopback/);
    await expect(startLab({ appOrigin: 'http://localhost:1234/app' })).rejects.toThrow(/bare http\(s\) origin/);
    await expect(startLab({ appOrigin: 'not a url' })).rejects.toThrow(/not a URL/);
  });

  it('accepts an appOrigin with a trailing slash and grants the bare origin', async () => {
    const lab = await startLab({ appOrigin: `${APP}/` });
    try {
      expect((await fetch(`${lab.origin}/cors`)).headers.get('access-control-allow-origin')).toBe(APP);
    } finally {
      await lab.close();
    }
  });

  it('the CLI prints the lab origin', async () => {
    const main = fileURLToPath(new URL('../../../demo/lab/main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', main, '--port', '0', '--app-origin', APP], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      expect(line).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${line}/cors`)).headers.get('access-control-allow-origin')).toBe(APP);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }, 20_000);
});
