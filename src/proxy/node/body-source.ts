import type { Readable } from 'node:stream';

/** Where a body's bytes go as they arrive. Exactly one of `end` and `error` is called, once. */
export interface BodySink {
  data(chunk: Buffer): void;
  end(): void;
  error(error: Error): void;
}

/**
 * A body that pushes its chunks to one sink, with back-pressure (pause/resume): the Node shell's
 * answers, straight from undici's parser (no stream in between) or through a decoder.
 */
export interface BodySource {
  /** Starts the flow; called once. */
  start(sink: BodySink): void;
  pause(): void;
  resume(): void;
  /** Stops the body: the sink's `error` gets `reason`, unless it has ended already. */
  destroy(reason: Error): void;
}

/** A Node Readable (a decoder's output) as a BodySource. */
export function readableSource(readable: Readable): BodySource {
  return {
    start(sink) {
      readable.on('data', sink.data).once('end', sink.end).once('error', sink.error);
    },
    pause: () => void readable.pause(),
    resume: () => void readable.resume(),
    destroy: (reason) => void readable.destroy(reason),
  };
}
