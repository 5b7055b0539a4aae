import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { ProxyFailure } from '../core/proxy-failure.js';

/**
 * Streams the target's body to the caller. Without a Content-Length (whose framing already bounds
 * it) the bytes are counted, and past `maxBytes` both sides are cut. A failure after the status
 * line has gone out can only be signalled by ending the connection abruptly.
 */
export function pipeAnswer(body: Readable, res: ServerResponse, maxBytes: number, lengthKnown: boolean): void {
  if (!lengthKnown) {
    let bytes = 0;
    body.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) body.destroy(new ProxyFailure('response-too-large', 502, 'the answer grew over options.maxResponseBytes'));
    });
  }
  body.once('error', () => res.destroy());
  res.once('close', () => {
    if (!body.readableEnded) body.destroy();
  });
  body.pipe(res);
}
