import type { ProxyLimits } from './proxy-limits.js';

/** How a proxied body ended, as the worker saw it pass. */
export type BodyEnd =
  | { end: 'delivered' }
  /** The stream failed: `code` names the proxy's failure code(s) its limits point to, `why` the evidence. */
  | { end: 'cut'; bytes: number; code: string; why: string }
  /** The page stopped reading (cancelled the body). */
  | { end: 'cancelled'; bytes: number }
  /** Still unread when the proxy's deadline had passed: the page is not reading it. */
  | { end: 'unread'; bytes: number };

/**
 * A pass-through of the proxy's body for the page, pulled only as the page reads (nothing is
 * buffered, the first byte is not delayed), that tells how it ended. A cut is only an error on the
 * stream, the same for every cause; the proxy's declared limits tell which cause it was. `length`
 * is the answer's Content-Length, if it has one.
 */
export function followBody(source: ReadableStream<Uint8Array>, limits: ProxyLimits, length: number | undefined): { body: ReadableStream<Uint8Array>; ended: Promise<BodyEnd> } {
  const reader = source.getReader();
  const started = performance.now();
  let last = started;
  let bytes = 0;
  let settle!: (end: BodyEnd) => void;
  const ended = new Promise<BodyEnd>((resolve) => (settle = resolve));
  // The proxy would have cut the body by its deadline; a body still open after it is one the page does not read.
  const unread = setTimeout(() => settle({ end: 'unread', bytes }), limits.deadlineMs + slack(limits));
  const finish = (end: BodyEnd): void => {
    clearTimeout(unread);
    settle(end);
  };
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch (error) {
          finish({ end: 'cut', bytes, ...cause(bytes, performance.now(), started, last, limits) });
          return controller.error(error);
        }
        if (next.done) {
          finish({ end: 'delivered' });
          return controller.close();
        }
        bytes += next.value.byteLength;
        last = performance.now();
        controller.enqueue(next.value);
        // A reader that knows the length (Content-Length) may never ask for the end.
        if (bytes === length) finish({ end: 'delivered' });
      },
      cancel(reason) {
        finish({ end: 'cancelled', bytes });
        return reader.cancel(reason);
      },
    },
    // Read from the proxy only when the page asks: the page's pace is the proxy's.
    { highWaterMark: 0 },
  );
  return { body, ended };
}

/**
 * The worker sees the headers (and the cut) a little after the proxy sent them: a time within this
 * of a limit counts as reaching it.
 */
function slack(limits: ProxyLimits): number {
  return Math.min(1000, limits.deadlineMs / 4);
}

function cause(bytes: number, now: number, started: number, last: number, limits: ProxyLimits): Pick<Extract<BodyEnd, { end: 'cut' }>, 'code' | 'why'> {
  if (bytes >= limits.bytes) return { code: 'response-too-large', why: `the proxy's maxResponseBytes is ${limits.bytes}` };
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  if (now - started >= limits.deadlineMs - slack(limits)) return { code: 'upstream-timeout', why: `at ${seconds(now - started)}, the proxy's deadline for the exchange` };
  if (now - last >= limits.pauseMs - slack(limits)) return { code: 'upstream-timeout', why: `after a ${seconds(now - last)} pause, the proxy's timeoutSeconds` };
  // Bytes that arrive just before a cut can be dropped with it (WebKit does, measured), so a body
  // short of maxResponseBytes may still have been cut for its size.
  return { code: 'upstream-failed or response-too-large', why: "short of the proxy's limits as far as the worker saw; the proxy's log has the cause" };
}
