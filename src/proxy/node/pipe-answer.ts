import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { answerTooLarge } from '../core/fetch-target.js';

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
      if (bytes > maxBytes) body.destroy(answerTooLarge());
    });
  }
  body.once('error', () => res.destroy());
  res.once('close', () => {
    if (!body.readableEnded) body.destroy();
  });
  body.pipe(res);
}
