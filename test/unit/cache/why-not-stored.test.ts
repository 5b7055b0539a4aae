import { describe, expect, it } from 'vitest';
import { whyNotStored } from '../../../src/sw/policies/opaque-cache/why-not-stored.js';

const request = (headers: Record<string, string> = {}): Request => new Request('https://cdn.example/a.woff2', { headers });
const answer = (headers: Record<string, string>, status = 200): Response => new Response('x', { status, headers });

describe('whyNotStored', () => {
  it('stores a 2xx answer that varies only on what every request of the app sends alike, or on fetch metadata', () => {
    expect(whyNotStored(answer({}), request())).toBeUndefined();
    expect(whyNotStored(answer({ vary: 'Origin, Accept-Encoding' }), request())).toBeUndefined();
    // crossroute/proxy's own Vary, sent so that the HTTP cache never renders a fetched answer as a document.
    expect(whyNotStored(answer({ vary: 'Sec-Fetch-Dest, Sec-Fetch-Mode' }), request())).toBeUndefined();
  });

  it.each([
    [{ vary: 'Cookie' }, /Vary: cookie/],
    [{ vary: 'Sec-Fetch-Dest, Authorization' }, /Vary: authorization/],
    [{ vary: '*' }, /Vary: \*/],
    [{ 'cache-control': 'max-age=60, private' }, /Cache-Control: private/],
    [{ 'cache-control': 'no-store' }, /Cache-Control: no-store/],
  ])('refuses an answer meant for one requester: %o', (headers, reason) => {
    expect(whyNotStored(answer(headers), request())).toMatch(reason);
  });

  it('refuses partial, non-2xx answers and answers to a request with Authorization', () => {
    expect(whyNotStored(answer({}, 206), request())).toMatch(/206/);
    expect(whyNotStored(answer({}, 404), request())).toMatch(/404/);
    expect(whyNotStored(answer({}), request({ authorization: 'Bearer t' }))).toMatch(/Authorization/);
  });
});
