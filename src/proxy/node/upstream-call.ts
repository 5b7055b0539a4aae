import type { Dispatcher } from 'undici';
import type { HeaderPairs } from '../core/proxy-input.js';
import type { UpstreamAnswer } from '../core/upstream.js';
import type { BodySink, BodySource } from './body-source.js';
import type { NodeAbort } from './node-abort.js';

/** What a discarded body (a redirect's) may still be read for to keep its connection; past it the connection goes. */
const DISCARD_BYTES = 128 * 1024;
/** Chunks held between the headers and the body's start; past this the parser is paused. */
const HELD_BYTES = 64 * 1024;

type Settle = { end: true } | { error: Error };

/**
 * One hop on undici's dispatch API: the answer's status and headers resolve `answer`, and its body
 * is a BodySource fed by the parser's own callbacks. undici's request() would put an
 * AsyncResource and a Readable between the socket and the caller. Chunks that arrive between the
 * headers and the body's start (piped or discarded, a few microtasks later) are held, up to
 * HELD_BYTES: pausing the parser instead would make undici copy the rest of the socket's read into
 * its parser's memory a second time.
 */
export class UpstreamCall implements Dispatcher.DispatchHandler, BodySource {
  readonly answer: Promise<UpstreamAnswer<BodySource>>;
  #resolve!: (answer: UpstreamAnswer<BodySource>) => void;
  #reject!: (error: Error) => void;
  #controller: Dispatcher.DispatchController | undefined;
  #sink: BodySink | undefined;
  #held: Buffer[] = [];
  #heldBytes = 0;
  #sinkPaused = false;
  /** How the body ended before a sink was there to hear it. */
  #settled: Settle | undefined;
  #answered = false;
  #done = false;
  #reason: Error | undefined;
  readonly #onAbort = (): void => this.destroy(this.abort.reason as Error);

  constructor(private readonly abort: NodeAbort) {
    this.answer = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    if (abort.aborted) this.#onAbort();
    else abort.once('abort', this.#onAbort);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#reason) controller.abort(this.#reason);
  }

  onResponseStart(controller: Dispatcher.DispatchController, status: number, headers: Record<string, string | string[] | undefined>): void {
    // 1xx answers (103 Early Hints) come before the real one and are not passed on.
    if (status < 200 || this.#done) return;
    this.#answered = true;
    const pairs: HeaderPairs = [];
    for (const name in headers) {
      const value = headers[name];
      if (Array.isArray(value)) for (const one of value) pairs.push([name, one]);
      else if (value !== undefined) pairs.push([name, value]);
    }
    this.#resolve({ status, headers: pairs, body: this, discard: () => this.#discard(Number(headers['content-length'] ?? 0)) });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#sink) return this.#sink.data(chunk);
    this.#held.push(chunk);
    this.#heldBytes += chunk.length;
    if (this.#heldBytes > HELD_BYTES) controller.pause();
  }

  onResponseEnd(): void {
    this.#finish({ end: true });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#finish({ error });
  }

  start(sink: BodySink): void {
    this.#sink = sink;
    const held = this.#held;
    this.#held = [];
    // The sink may pause (its connection is full) or destroy (a size cut) on any of them.
    for (const chunk of held) if (!this.#reason) sink.data(chunk);
    if (this.#settled) this.#deliver(this.#settled);
    else if (this.#heldBytes > HELD_BYTES && !this.#sinkPaused) this.#controller?.resume();
  }

  pause(): void {
    this.#sinkPaused = true;
    this.#controller?.pause();
  }

  resume(): void {
    this.#sinkPaused = false;
    this.#controller?.resume();
  }

  destroy(reason: Error): void {
    if (this.#done) return;
    this.#reason = reason;
    this.#finish({ error: reason });
    // undici then calls onResponseError, which finds the call done.
    this.#controller?.abort(reason);
  }

  #discard(declared: number): void {
    const tooLong = new Error('a discarded body is too long to read for its connection');
    if (declared > DISCARD_BYTES) return this.destroy(tooLong);
    let bytes = 0;
    this.start({
      data: (chunk) => {
        bytes += chunk.length;
        if (bytes > DISCARD_BYTES) this.destroy(tooLong);
      },
      end: () => undefined,
      error: () => undefined,
    });
  }

  #finish(settle: Settle): void {
    if (this.#done) return;
    this.#done = true;
    this.abort.off('abort', this.#onAbort);
    if (!this.#answered) return void this.#reject('error' in settle ? settle.error : new Error('the target ended the exchange without an answer'));
    if (this.#sink) this.#deliver(settle);
    else this.#settled = settle;
  }

  #deliver(settle: Settle): void {
    if ('end' in settle) this.#sink!.end();
    else this.#sink!.error(settle.error);
  }
}
