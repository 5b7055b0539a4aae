import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedConnector } from '../../../src/proxy/node/guarded-connector.js';
import { admissionKey } from '../../../src/proxy/core/admission-key.js';
import { ProxyFailure } from '../../../src/proxy/index.js';
import { loopbackOnlyConnector } from './fixtures/network-guard.js';
import { Agent, request } from 'undici';

/** The connector resolves once and connects to the address it checked, so a rebinding DNS answer has no second chance. */
describe('guardedConnector', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((_req, res) => res.end('reached'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('checks each connection at its own lookup, and connects to the checked address, not to the name', async () => {
    const lookups: string[] = [];
    const guard = loopbackOnlyConnector();
    // A rebinding resolver: the first answer is the admitted test server, every later one a private address.
    const agent = new Agent({
      connect: guardedConnector({
        resolve: async (hostname) => {
          lookups.push(hostname);
          return lookups.length === 1 ? ['127.0.0.1'] : ['10.0.0.1'];
        },
        connect: guard.connect,
        admitted: new Set([admissionKey('127.0.0.1', port)]),
      }),
    });
    const first = await request(`http://rebind.attacker.test:${port}/`, { dispatcher: agent });
    expect(await first.body.text()).toBe('reached');
    expect(guard.attempts).toEqual([`127.0.0.1:${port}`]);
    // A new connection is a new lookup, checked again: the rebound answer is refused before any socket.
    server.closeAllConnections();
    const second = await request(`http://rebind.attacker.test:${port}/`, { dispatcher: agent }).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(ProxyFailure);
    expect((second as ProxyFailure).detail).toMatch(/rebind\.attacker\.test resolves to a refused address: 10\.0\.0\.1 is private/);
    expect(lookups).toEqual(['rebind.attacker.test', 'rebind.attacker.test']);
    expect(guard.attempts).toEqual([`127.0.0.1:${port}`]);
    await agent.close();
  });

  it('refuses before connecting when any resolved address is not public', async () => {
    const guard = loopbackOnlyConnector();
    const agent = new Agent({ connect: guardedConnector({ resolve: async () => ['8.8.8.8', '10.0.0.1'], connect: guard.connect, admitted: new Set() }) });
    const error = await request('http://mixed.attacker.test/', { dispatcher: agent }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProxyFailure);
    expect((error as ProxyFailure).detail).toMatch(/mixed\.attacker\.test resolves to a refused address: 10\.0\.0\.1 is private/);
    expect(guard.attempts).toEqual([]);
    await agent.close();
  });
});
