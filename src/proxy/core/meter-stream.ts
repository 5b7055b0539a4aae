/**
 * Passes a web stream's bytes through, counting them; past `maxBytes` it calls `over()` and errors
 * the stream, so the rest is never read.
 */
export function meterStream(maxBytes: number, over: () => Error): TransformStream<Uint8Array, Uint8Array> {
  let bytes = 0;
  return new TransformStream({
    transform(chunk, controller) {
      bytes += chunk.byteLength;
      if (bytes > maxBytes) controller.error(over());
      else controller.enqueue(chunk);
    },
  });
}
