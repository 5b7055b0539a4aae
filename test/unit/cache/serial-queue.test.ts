import { describe, expect, it } from 'vitest';
import { SerialQueue } from '../../../src/sw/cache/serial-queue.js';

describe('SerialQueue', () => {
  it('runs tasks one at a time, in the order they were queued', async () => {
    const queue = new SerialQueue();
    const events: string[] = [];
    const task = (name: string, ms: number) => async () => {
      events.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([queue.run(task('slow', 30)), queue.run(task('fast', 1))]);
    expect(results).toEqual(['slow', 'fast']);
    expect(events).toEqual(['start slow', 'end slow', 'start fast', 'end fast']);
  });

  it('passes a failure to its caller only; the next task still runs', async () => {
    const queue = new SerialQueue();
    const failed = queue.run(() => Promise.reject(new Error('boom')));
    const next = queue.run(async () => 'ran');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });
});
