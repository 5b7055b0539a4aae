import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { answerTooLarge, cutFailure } from '../core/fetch-target.js';
import { CALLER_GONE, type ProxyFailure } from '../core/proxy-failure.js';
import type { NodeAbort } from './node-abort.js';

/**
 * Streams the target's body to the caller and calls `settled` once: with nothing when the last
 * byte is handed to the connection, with the failure when the body is cut (over `maxBytes`, the
 * target failing or pausing, the deadline) or the caller goes away. Without a Content-Length
 * (whose framing already bounds it) the bytes are counted. A failure after the status line has
 * gone out can only be signalled by ending the connection abruptly.
 */
export function pipeAnswer(body: Readable, res: ServerResponse, maxBytes: number, lengthKnown: boolean, abort: NodeAbort, settled: (failure?: ProxyFailure) => void): void {
  if (!lengthKnown) {
    let bytes = 0;
    body.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) body.destroy(answerTooLarge());
    });
  }
  const onAbort = () => body.destroy(abort.reason as Error);
  abort.once('abort', onAbort);
  body.once('error', (error) => {
    settled(cutFailure(error, abort.reason));
    res.destroy();
  });
  res.once('finish', () => settled());
  res.once('close', () => {
    abort.off('abort', onAbort);
    if (res.writableFinished) return;
    settled(CALLER_GONE);
    if (!body.readableEnded) body.destroy();
  });
  body.pipe(res);
}
