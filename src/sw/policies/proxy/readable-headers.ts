/**
 * The proxy's headers, readable on the answer the worker builds: that answer is not the proxy's
 * same-origin one but the worker's own, which the page gets CORS-filtered for a cross-origin URL.
 */
export function readableHeaders(headers: Headers): Headers {
  const readable = new Headers(headers);
  readable.set('access-control-expose-headers', [...headers.keys()].join(', '));
  return readable;
}
