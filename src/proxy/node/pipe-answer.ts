import type { ServerResponse } from 'node:http';
import { answerTooLarge, cutFailure } from '../core/fetch-target.js';
import { CALLER_GONE, type ProxyFailure } from '../core/proxy-failure.js';
import type { BodySource } from './body-source.js';
import type { NodeAbort } from './node-abort.js';

/**
 * Streams the target's body to the caller and calls `settled` once: with nothing when the last
 * byte is handed to the connection, with the failure when the body is cut (over `maxBytes`, the
 * target failing or pausing, the deadline) or the caller goes away. Without a Content-Length
 * (whose framing already bounds it) the bytes are counted, and exactly `maxBytes` go out before a
 * cut, so the worker can tell it from the others. A failure after the status line has gone out can
 * only be signalled by ending the connection without ending the body.
 */
export function pipeAnswer(body: BodySource, res: ServerResponse, maxBytes: number, lengthKnown: boolean, abort: NodeAbort, settled: (failure?: ProxyFailure) => void): void {
  let bytes = 0;
  let gone = false;
  const onAbort = () => body.destroy(abort.reason as Error);
  abort.once('abort', onAbort);
  res.on('drain', () => body.resume());
  res.once('finish', () => settled());
  res.once('close', () => {
    abort.off('abort', onAbort);
    if (res.writableFinished) return;
    gone = true;
    settled(CALLER_GONE);
    body.destroy(CALLER_GONE);
  });
  body.start({
    data(chunk) {
      if (!lengthKnown) {
        const room = maxBytes - bytes;
        bytes += chunk.length;
        if (bytes > maxBytes) {
          if (room > 0) res.write(chunk.subarray(0, room));
          return body.destroy(answerTooLarge());
        }
      }
      if (!res.write(chunk)) body.pause();
    },
    end: () => void res.end(),
    error(error) {
      if (gone) return;
      settled(cutFailure(error, abort.reason));
      cutConnection(res);
    },
  });
}

/**
 * Closes the connection once what was written has been sent, without the body's end (no last
 * chunk, or fewer bytes than Content-Length): the caller's read fails, and gets every byte before
 * the cut. Destroying the socket instead would drop bytes still waiting to be sent. A chunked body
 * first announces one more chunk that never comes: WebKit (libsoup) takes a close after a whole
 * chunk for the body's end (measured), and would report a cut body as complete.
 */
function cutConnection(res: ServerResponse): void {
  const { socket } = res;
  if (!socket) return void res.destroy();
  if (res.chunkedEncoding) socket.write('1000\r\n');
  socket.end(() => socket.destroy());
}
