import type { OutcomeFilter } from './query.js';
import { readAll } from './read-all.js';
import type { LogDatabase } from './schema.js';

/**
 * The log as NDJSON (one JSON outcome per line, oldest first), streamed a page at a time so a
 * large log is never held in memory whole.
 */
export function exportNdjson(db: LogDatabase, query: OutcomeFilter = {}): ReadableStream<Uint8Array> {
  const records = readAll(db, query);
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const next = await records.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
    },
    async cancel() {
      await records.return(undefined);
    },
  });
}
