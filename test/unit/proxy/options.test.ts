import { describe, expect, it } from 'vitest';
import { createProxyHandler, ProxyConfigError, type ProxyHandlerOptions } from '../../../src/proxy/index.js';
import { createNodeProxy, guardedFetch } from '../../../src/proxy/node.js';

/** Startup: closed by default, and every refusal names the option and the fix. */
const fetchStub: ProxyHandlerOptions['fetch'] = () => Promise.reject(new Error('no network in this test'));

function refusal(options: unknown): ProxyConfigError {
  try {
    createProxyHandler({ fetch: fetchStub, ...(options as object) } as ProxyHandlerOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ProxyConfigError);
    return error as ProxyConfigError;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe('proxy options', () => {
  it('refuses to start with an empty allowlist unless allowAnyTarget is set explicitly', () => {
    for (const options of [{}, { allow: [] }, { allow: [], allowAnyTarget: false }]) {
      const error = refusal(options);
      expect(error.code).toBe('no-targets');
      expect(error.message).toMatch(/closed by default.*allow: \["https:\/\/api\.example\.com"\].*allowAnyTarget: true/);
    }
    expect(() => createProxyHandler({ allowAnyTarget: true, fetch: fetchStub })).not.toThrow();
    expect(() => createNodeProxy({ allow: [] })).toThrow(/closed by default/);
  });

  it('requires a fetch for the web handler, and says which one', () => {
    expect(() => createProxyHandler({ allow: ['https://api.example.com'] } as unknown as ProxyHandlerOptions)).toThrow(/options\.fetch is required.*guardedFetch\(\)/);
  });

  it.each([
    [{ allow: ['api.example.com'] }, /options\.allow\[0\]: "api\.example\.com" is not an origin/],
    [{ allow: ['https://api.example.com/v1'] }, /options\.allow\[0\].*more than scheme:\/\/host:port/],
    [{ allow: ['ftp://files.example.com'] }, /options\.allow\[0\].*scheme ftp:/],
    [{ allow: ['https://ok.example', { origin: 'https://x.example', forwardCookies: true }] }, /options\.allow\[1\]\.forwardCookies is not a target option/],
    [{ allow: [{ origin: 'https://x.example', forwardAuthorization: 'yes' }] }, /options\.allow\[0\]\.forwardAuthorization must be true or false/],
    [{ allow: ['https://x.example'], appOrigins: ['https://app.example/'] }, /options\.appOrigins\[0\] must be an origin exactly as browsers send it/],
    [{ allow: ['https://x.example'], methods: ['GET', 'TRACE'] }, /options\.methods\[1\] must be one of GET, HEAD, POST, PUT, PATCH, DELETE/],
    [{ allow: ['https://x.example'], timeoutSeconds: 0 }, /options\.timeoutSeconds must be a number of seconds from 0\.001 to 600 \(got 0\)/],
    [{ allow: ['https://x.example'], timeoutSeconds: Infinity }, /options\.timeoutSeconds must be a number of seconds/],
    // The earlier names, in milliseconds: refused, naming the option that replaced them.
    [{ allow: ['https://x.example'], timeoutMs: 10_000 }, /options\.timeoutMs is now options\.timeoutSeconds, in seconds/],
    [{ allow: ['https://x.example'], deadlineMs: 60_000 }, /options\.deadlineMs is now options\.deadlineSeconds, in seconds/],
    [{ allow: ['https://x.example'], maxRedirects: 1.5 }, /options\.maxRedirects must be a whole number/],
    [{ allow: ['https://x.example'], admitLoopbackForTests: ['10.0.0.1:80'] }, /options\.admitLoopbackForTests\[0\] must be a loopback IP literal with a port/],
    [{ allow: ['https://x.example'], admitLoopbackForTests: ['127.0.0.1'] }, /admitLoopbackForTests\[0\].*with a port/],
    [{ allow: ['https://x.example'], admitLoopbackForTests: ['localhost:8788'] }, /admitLoopbackForTests\[0\]/],
    [{ allow: ['https://x.example'], admitLoopbackForTests: ['[::ffff:127.0.0.1]:8788'] }, /admitLoopbackForTests\[0\]/],
    [{ allow: ['https://x.example'], exposeHeaders: ['x-rate-limit', 'Access-Control-Allow-Origin'] }, /options\.exposeHeaders\[1\]: access-control-allow-origin is decided by the proxy/],
    // Bodies go back decoded: a coding passed back would have the browser decode them again.
    [{ allow: ['https://x.example'], exposeHeaders: ['Content-Encoding'] }, /options\.exposeHeaders\[0\]: content-encoding is decided by the proxy/],
    [{ allow: ['https://x.example'], exposeHeaders: ['x content'] }, /options\.exposeHeaders\[0\] must be a header name/],
    [{ allow: ['https://x.example'], maxInFlight: 0 }, /options\.maxInFlight must be a whole number from 1/],
    [{ allow: ['https://x.example'], deadlineSeconds: 3601 }, /options\.deadlineSeconds must be a number of seconds from 0\.001 to 3600/],
    [{ allow: ['https://x.example'], authorize: 'token' }, /options\.authorize must be a function/],
    [{ allow: ['https://x.example'], allowAnyTargets: true }, /options\.allowAnyTargets is not a proxy option\. Known options: allow, allowAnyTarget/],
  ])('%j is refused', (options, message) => {
    expect(refusal(options).message).toMatch(message);
  });

  it('accepts origin patterns, rules with forwarding, "null" as an app origin and loopback admissions', () => {
    expect(() =>
      createProxyHandler({
        allow: ['https://api.example.com', 'http://127.0.0.1:8080', 'https://*.cdn.example', { origin: 'https://auth.example', forwardAuthorization: true }],
        appOrigins: ['https://app.example', 'null'],
        admitLoopbackForTests: ['127.0.0.1:8788', '[::1]:8788'],
        methods: ['get', 'POST'],
        timeoutSeconds: 2.5,
        deadlineSeconds: 0.5,
        fetch: fetchStub,
      }),
    ).not.toThrow();
  });

  it('refuses guardedFetch options it does not know, the millisecond timeout by its new name', () => {
    expect(() => guardedFetch({ timeoutMs: 500 } as never)).toThrow(/options\.timeoutMs is now options\.timeoutSeconds/);
    expect(() => guardedFetch({ timeoutSeconds: -1 })).toThrow(/options\.timeoutSeconds must be a number of seconds/);
  });
});
