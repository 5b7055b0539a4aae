import { afterEach, describe, expect, it, vi } from 'vitest';
import { CrossrouteError } from '../../../src/sw/errors.js';
import { proxy } from '../../../src/sw/policies/proxy.js';
import { followBody } from '../../../src/sw/policies/proxy/follow-body.js';
import { proxyNote } from '../../../src/sw/policies/proxy/proxy-note.js';
import { readLimits } from '../../../src/sw/policies/proxy/proxy-limits.js';
import { recordedCut } from '../../../src/sw/policies/proxy/recorded-cut.js';

/** The service-worker side without a browser: its options, and what it writes in the outcome. */
describe('the proxy policy', () => {
  it('defaults to rewrite mode at /__proxy with same-origin credentials', () => {
    expect(proxy.validate({}, 'rules[0].options')).toEqual({ proxyPath: '/__proxy', mode: 'rewrite', credentials: 'same-origin' });
  });

  it.each([
    [{ proxyPath: 'https://proxy.example/p' }, /rules\[0\]\.options\.proxyPath must be a path on the app's own origin/],
    [{ proxyPath: '//proxy.example/p' }, /proxyPath must be a path/],
    [{ proxyPath: '/p?url=x' }, /proxyPath must be a path/],
    [{ mode: 'tunnel' }, /rules\[0\]\.options\.mode must be one of "rewrite", "redirect"/],
    [{ credentials: 'include' }, /credentials must be one of "omit", "same-origin"/],
    [{ path: '/__proxy' }, /rules\[0\]\.options\.path is not an option of this policy/],
  ])('refuses %j, naming the field', (options, message) => {
    expect(() => proxy.validate(options as never, 'rules[0].options')).toThrow(CrossrouteError);
    expect(() => proxy.validate(options as never, 'rules[0].options')).toThrow(message);
  });

  it('notes the proxy status, the upstream status and the redirects from the proxy headers', async () => {
    const headers = { 'x-crossroute-upstream-status': '404', 'x-crossroute-redirects': '2', 'x-crossroute-upstream-url': 'https://api.example/v2/x' };
    expect(await proxyNote(new Response('gone', { status: 404, headers }), '/__proxy')).toEqual({
      detail: 'through /__proxy: proxy 404, upstream 404 at https://api.example/v2/x after 2 redirects',
      changes: ["sent to the target by the app's proxy at /__proxy"],
      upstreamStatus: 404,
      redirects: 2,
    });
  });

  it("notes the proxy's own refusal, and a path that is not crossroute's proxy", async () => {
    const refusal = Response.json({ error: 'upstream-timeout', reason: 'the target did not answer within 10000 ms' }, { status: 504 });
    expect(await proxyNote(refusal, '/__proxy')).toEqual({ kind: 'proxy-error', detail: '/__proxy answered 504 upstream-timeout: the target did not answer within 10000 ms' });
    expect(await refusal.json()).toMatchObject({ error: 'upstream-timeout' }); // the page still gets the body
    expect((await proxyNote(new Response('<h1>Not found</h1>', { status: 404 }), '/api/proxy')).detail).toMatch(/is crossroute\/proxy mounted at that path/);
  });

  describe('following the body', () => {
    const limits = { bytes: 10, pauseMs: 5000, deadlineMs: 60_000 };
    /** A source that sends `chunks`, one per read, then ends or fails. */
    const source = (chunks: number[], fail?: Error) =>
      new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            const size = chunks.shift();
            if (size !== undefined) controller.enqueue(new Uint8Array(size));
            else if (fail) controller.error(fail);
            else controller.close();
          },
        },
        { highWaterMark: 0 },
      );
    const drain = async (body: ReadableStream<Uint8Array>): Promise<string> => {
      const reader = body.getReader();
      let bytes = 0;
      try {
        for (let next = await reader.read(); !next.done; next = await reader.read()) bytes += next.value.byteLength;
        return `${bytes} bytes`;
      } catch {
        return `failed after ${bytes} bytes`;
      }
    };

    it('reads the limits the proxy declares, and nothing else', () => {
      expect(readLimits('bytes=1024, pause=2.5, deadline=59.5')).toEqual({ bytes: 1024, pauseMs: 2500, deadlineMs: 59_500 });
      for (const bad of [null, '', 'bytes=1024', 'bytes=x, pause=1, deadline=1', 'bytes=1, pause=0, deadline=1']) expect(readLimits(bad)).toBeUndefined();
    });

    it('passes every byte on and ends as delivered', async () => {
      const { body, ended } = followBody(source([4, 4]), limits, undefined);
      expect(await drain(body)).toBe('8 bytes');
      expect(await ended).toEqual({ end: 'delivered' });
    });

    it('fails the page\'s read when the proxy cuts, and names the size limit when the bytes reached it', async () => {
      const { body, ended } = followBody(source([6, 4], new TypeError('network error')), limits, undefined);
      expect(await drain(body)).toBe('failed after 10 bytes');
      expect(await ended).toMatchObject({ end: 'cut', bytes: 10, code: 'response-too-large' });
    });

    it('names the deadline when the cut comes at what was left of it', async () => {
      const { body, ended } = followBody(source([3], new TypeError('network error')), { ...limits, deadlineMs: 0 }, undefined);
      expect(await drain(body)).toBe('failed after 3 bytes');
      expect(await ended).toMatchObject({ end: 'cut', code: 'upstream-timeout', why: expect.stringContaining("the proxy's deadline") });
    });

    it('says both codes it cannot tell apart when the cut comes short of every limit', async () => {
      const { body, ended } = followBody(source([3], new TypeError('network error')), limits, undefined);
      await drain(body);
      expect(await ended).toMatchObject({ end: 'cut', bytes: 3, code: 'upstream-failed or response-too-large' });
    });

    it('ends as delivered at the Content-Length, for a reader that never asks for the end', async () => {
      const { body, ended } = followBody(source([4, 4, 1]), limits, 8);
      const reader = body.getReader();
      await reader.read();
      await reader.read();
      expect(await ended).toEqual({ end: 'delivered' });
    });

    it('ends as cancelled when the page stops reading', async () => {
      const { body, ended } = followBody(source([4, 4]), limits, undefined);
      const reader = body.getReader();
      await reader.read();
      await reader.cancel();
      expect(await ended).toEqual({ end: 'cancelled', bytes: 4 });
    });
  });

  describe("asking the proxy for a cut body's code", () => {
    const cut = { end: 'cut', bytes: 1024, code: 'upstream-failed or response-too-large', why: "short of the proxy's limits as far as the worker saw" } as const;
    const endpoint = new URL('https://app.example/api/proxy?url=https%3A%2F%2Fapi.example%2Fx');
    afterEach(() => vi.unstubAllGlobals());

    it("takes the proxy's record, asked at the proxy's path with the rule's credentials", async () => {
      const asked: Array<[string, RequestInit]> = [];
      vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
        asked.push([url, init]);
        return Response.json({ exchange: 'id 1', error: 'response-too-large' });
      });
      expect(await recordedCut(cut, endpoint, 'id 1', 'omit')).toEqual({ ...cut, code: 'response-too-large', why: "the proxy's record of the exchange" });
      expect(asked).toEqual([['/api/proxy?exchange=id%201', { credentials: 'omit' }]]);
    });

    it("keeps the worker's own reading when the proxy does not know the exchange or cannot be asked", async () => {
      vi.stubGlobal('fetch', async () => Response.json({ error: 'exchange-unknown', reason: 'no cut body is recorded' }, { status: 404 }));
      expect(await recordedCut(cut, endpoint, 'id', 'same-origin')).toEqual(cut);
      vi.stubGlobal('fetch', async () => new Response('<h1>Not found</h1>', { status: 404 }));
      expect(await recordedCut(cut, endpoint, 'id', 'same-origin')).toEqual(cut);
      vi.stubGlobal('fetch', async () => Promise.reject(new TypeError('Failed to fetch')));
      expect(await recordedCut(cut, endpoint, 'id', 'same-origin')).toEqual(cut);
    });
  });
});
