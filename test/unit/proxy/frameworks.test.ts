import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import bodyParser from '@koa/bodyparser';
import { createAdaptorServer } from '@hono/node-server';
import express from 'express';
// @ts-expect-error express4 is express@4 under an npm alias, which @types/express names not; the API used here is the same.
import express4Module from 'express4';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import mount from 'koa-mount';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../../demo/lab/server.js';
import { createNodeProxy, createWebProxy, type NodeProxyOptions } from '../../../src/proxy/node.js';
import { loopbackOnlyConnector, mappedResolver } from './fixtures/network-guard.js';

/**
 * The proxy mounted in each framework as the README shows it, through the real packages: a GET, a
 * JSON POST whose body arrives intact, a private target refused, and (with the framework's body
 * parser mounted first) a loud 500 instead of an empty upstream request.
 */
const APP = 'http://localhost:5173';
const express4 = express4Module as typeof express;

interface Mounted {
  server: Server;
  close(): Promise<void>;
}

type Mount = (options: Omit<NodeProxyOptions, 'authorize'>, withParser: boolean) => Promise<Mounted>;

function nodeServer(listener: Parameters<typeof createServer>[1], close: () => Promise<void>): Mounted {
  return { server: createServer(listener), close };
}

const FRAMEWORKS: Record<string, Mount> = {
  async 'Express 5'(options, withParser) {
    const proxy = createNodeProxy(options);
    const app = express();
    if (withParser) app.use(express.json());
    app.use('/__proxy', proxy);
    return nodeServer(app, () => proxy.close());
  },
  async 'Express 4'(options, withParser) {
    const proxy = createNodeProxy(options);
    const app = express4();
    if (withParser) app.use(express4.json());
    app.use('/__proxy', proxy);
    return nodeServer(app, () => proxy.close());
  },
  async Fastify(options, withParser) {
    const proxy = createNodeProxy(options);
    const app = Fastify();
    await app.register(async (scope) => {
      // The glue: leave the body unread for the proxy, and let it answer on the raw response.
      if (!withParser) {
        scope.removeAllContentTypeParsers();
        scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
      }
      scope.all('/__proxy', (request, reply) => {
        reply.hijack();
        proxy(request.raw, reply.raw);
      });
    });
    await app.ready();
    return { server: app.server, close: async () => (await proxy.close(), await app.close()) };
  },
  async 'Koa (koa-mount)'(options, withParser) {
    const proxy = createNodeProxy(options);
    const app = new Koa();
    if (withParser) app.use(bodyParser());
    app.use(mount('/__proxy', proxy));
    return nodeServer(app.callback(), () => proxy.close());
  },
  async 'Hono (@hono/node-server)'(options, withParser) {
    const proxy = createWebProxy(options);
    const app = new Hono();
    if (withParser) app.use('/__proxy', async (c, next) => (await c.req.json().catch(() => undefined), await next()));
    app.all('/__proxy', (c) => proxy(c.req.raw));
    return { server: createAdaptorServer({ fetch: app.fetch }) as Server, close: () => proxy.close() };
  },
};

describe.each(Object.keys(FRAMEWORKS))('the proxy in %s', (framework) => {
  let lab: Lab;
  const guard = loopbackOnlyConnector();
  const running: Array<{ base: string; mounted: Mounted }> = [];
  let base: string;
  let parsed: string;

  async function start(withParser: boolean): Promise<string> {
    const mounted = await FRAMEWORKS[framework]!(
      {
        allow: [lab.origin, 'http://10.0.0.1'],
        appOrigins: [APP],
        admitLoopbackForTests: [new URL(lab.origin).host],
        resolve: mappedResolver({}),
        connect: guard.connect,
      },
      withParser,
    );
    await new Promise<void>((resolve) => mounted.server.listen(0, '127.0.0.1', resolve));
    const at = `http://127.0.0.1:${(mounted.server.address() as AddressInfo).port}`;
    running.push({ base: at, mounted });
    return at;
  }
  const call = (at: string, target: string, init: RequestInit = {}) =>
    fetch(`${at}/__proxy?url=${encodeURIComponent(target)}`, { ...init, headers: { origin: APP, ...(init.headers as Record<string, string>) } });
  const postJson = (at: string) => call(at, `${lab.origin}/preflight`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1,"text":"intact"}' });

  beforeAll(async () => {
    lab = await startLab({ appOrigin: APP });
    base = await start(false);
    parsed = await start(true);
  });
  afterAll(async () => {
    for (const { mounted } of running) {
      mounted.server.closeAllConnections?.();
      await new Promise((resolve) => mounted.server.close(resolve));
      await mounted.close();
    }
    await lab?.close();
  });
  beforeEach(() => lab.clear());

  it('proxies a GET', async () => {
    const response = await call(base, `${lab.origin}/no-cors`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ endpoint: 'no-cors' });
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('proxies a JSON POST with its body intact', async () => {
    const response = await postJson(base);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ method: 'POST', contentType: 'application/json', body: '{"n":1,"text":"intact"}' });
  });

  it('refuses a private target', async () => {
    const response = await call(base, 'http://10.0.0.1/admin');
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'address-not-allowed' });
  });

  it('answers a body its parser has already read with a loud 500 naming the fix, and sends nothing upstream', async () => {
    const response = await postJson(parsed);
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: 'body-already-read', reason: expect.stringContaining('Mount the proxy before the body parser') });
    expect(lab.records()).toEqual([]);
    // A GET has no body to lose: it is served behind the parser too.
    expect((await call(parsed, `${lab.origin}/no-cors`)).status).toBe(200);
  });

  it('opened sockets to loopback only', () => {
    expect(guard.attempts.every((attempt) => attempt.startsWith('127.0.0.1:'))).toBe(true);
  });
});
