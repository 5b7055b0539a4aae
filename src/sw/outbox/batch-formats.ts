import { CrossrouteError } from '../errors.js';

/** How several beacon bodies become one request body. */
export interface BatchFormat {
  /** The batch's Content-Type; a non-safelisted type is re-typed text/plain like any beacon's. */
  contentType: string;
  /** One beacon's body as it appears in a batch, or null when it cannot share a request (it is then sent alone). */
  item(body: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> | null;
  /** The batch body from its items, in queue order. */
  join(items: readonly Uint8Array<ArrayBuffer>[]): Uint8Array<ArrayBuffer>;
}

const encoder = /* @__PURE__ */ new TextEncoder();
const decoder = /* @__PURE__ */ new TextDecoder();
const LINE_BREAK = /[\r\n]/;

/**
 * One body per line. A JSON body written over several lines is compacted onto one; any other
 * body with a line break would corrupt the framing, so it travels alone.
 */
const ndjson: BatchFormat = {
  contentType: 'text/plain;charset=UTF-8',
  item(body) {
    const text = decoder.decode(body);
    if (!LINE_BREAK.test(text)) return body;
    try {
      return encoder.encode(JSON.stringify(JSON.parse(text)));
    } catch {
      return null;
    }
  },
  join(items) {
    const out = new Uint8Array(items.reduce((sum, item) => sum + item.byteLength + 1, 0));
    let at = 0;
    for (const item of items) {
      out.set(item, at);
      out[at + item.byteLength] = 0x0a;
      at += item.byteLength + 1;
    }
    return out;
  },
};

const formats = new Map<string, BatchFormat>([['ndjson', ndjson]]);

/**
 * Makes a format usable as a beacon rule's `batch` option. Call it before setupCrossroute(), at the
 * top level of the worker, so that a restarted worker can still batch what an earlier one queued.
 */
export function registerBatchFormat(name: string, format: BatchFormat): void {
  if (typeof name !== 'string' || name === '') throw new CrossrouteError('invalid-batch-format', 'registerBatchFormat(name)', process.env.NODE_ENV !== 'production' && 'registerBatchFormat: name must be a non-empty string.');
  if (formats.has(name)) throw new CrossrouteError('batch-format-taken', 'registerBatchFormat(name)', process.env.NODE_ENV !== 'production' && `registerBatchFormat: "${name}" is already registered. Pick another name.`);
  if (typeof format?.contentType !== 'string' || typeof format.item !== 'function' || typeof format.join !== 'function') {
    throw new CrossrouteError(
      'invalid-batch-format',
      'registerBatchFormat(format)',
      process.env.NODE_ENV !== 'production' && `registerBatchFormat("${name}"): the format needs a contentType string and item() and join() functions.`,
    );
  }
  formats.set(name, format);
}

export function batchFormat(name: string): BatchFormat | undefined {
  return formats.get(name);
}

export function batchFormatNames(): string[] {
  return [...formats.keys()];
}
