import { describe, expect, it } from 'vitest';
import { CrossrouteError } from '../../../src/sw/errors.js';
import { proxy } from '../../../src/sw/policies/proxy.js';
import { proxyNote } from '../../../src/sw/policies/proxy/proxy-note.js';

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
});
