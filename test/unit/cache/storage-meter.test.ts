import { describe, expect, it } from 'vitest';
import { StorageMeter } from '../../../src/sw/cache/storage-meter.js';

// Node has no opaque responses; what the meter reads of one is its type and its (empty) headers.
const opaque = { type: 'opaque', headers: new Headers() } as Response;
const readable = (length?: number): Response => new Response('x'.repeat(length ?? 3), { headers: length === undefined ? {} : { 'content-length': String(length) } });

describe('StorageMeter without a measurement', () => {
  it('counts an opaque entry as opaqueBytes and a readable one as its Content-Length', () => {
    const meter = new StorageMeter(7_340_032, false);
    expect(meter.expected(opaque)).toBe(7_340_032);
    expect(meter.expected(readable(2048))).toBe(2048);
    expect(meter.expected(readable())).toBe(0);
  });

  it('still runs the write, and returns the expected cost', async () => {
    const meter = new StorageMeter(5000, false);
    let wrote = false;
    expect(await meter.cost(async () => void (wrote = true), opaque, 0)).toBe(5000);
    expect(wrote).toBe(true);
  });

  it('falls back to the expected cost where navigator.storage does not exist (as in Node)', async () => {
    expect(await new StorageMeter(5000, true).cost(async () => undefined, opaque, 0)).toBe(5000);
  });

  it('passes a failed write on, so the caller can make room and retry', async () => {
    const meter = new StorageMeter(5000, false);
    await expect(meter.cost(() => Promise.reject(new DOMException('full', 'QuotaExceededError')), opaque, 0)).rejects.toThrow('full');
  });
});
