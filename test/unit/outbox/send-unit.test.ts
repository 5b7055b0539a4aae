import { describe, expect, it } from 'vitest';
import { registerBatchFormat } from '../../../src/sw/outbox/batch-formats.js';
import { CrossrouteError } from '../../../src/sw/errors.js';
import type { OutboxEntry } from '../../../src/sw/outbox/outbox-entry.js';
import { packSendUnits } from '../../../src/sw/outbox/send-unit.js';
import { makeEntry, ORIGIN } from './make-entry.js';

const endpoint = `${ORIGIN}/collect`;
const batched = (text: string, queuedAt: number, batch: Partial<NonNullable<OutboxEntry['batch']>> = {}): OutboxEntry =>
  makeEntry({
    text,
    queuedAt,
    batch: { key: `ndjson|${endpoint}`, format: 'ndjson', endpoint, maxEntries: 50, maxBytes: 65_536, ...batch },
  });
const bodyText = (body: BufferSource | null): string => new TextDecoder().decode(body as Uint8Array);

describe('packSendUnits', () => {
  it('sends an unbatched entry alone, as queued', () => {
    const entry = makeEntry();
    expect(packSendUnits([entry])).toEqual([{ origin: ORIGIN, entries: [entry], url: entry.url, method: 'POST', headers: entry.headers, body: entry.body }]);
  });

  it('joins entries of one batch key, oldest first, into NDJSON sent to the endpoint with every id', () => {
    const [a, b, c] = [batched('{"n":1}', 30), batched('{"n":2}', 10), batched('{"n":3}', 20)];
    const [unit, ...rest] = packSendUnits([a!, b!, c!]);
    expect(rest).toEqual([]);
    expect(unit!.entries).toEqual([b, c, a]);
    expect(unit!.url).toBe(`${endpoint}?bid=${b!.id},${c!.id},${a!.id}`.replaceAll(',', '%2C'));
    expect(bodyText(unit!.body)).toBe('{"n":2}\n{"n":3}\n{"n":1}\n');
    expect(unit!.headers).toEqual([['content-type', 'text/plain;charset=UTF-8']]);
  });

  it('never exceeds maxEntries or maxBytes per batch', () => {
    const entries = Array.from({ length: 7 }, (_, i) => batched(`{"n":${i}}`, i, { maxEntries: 3 }));
    expect(packSendUnits(entries).map((unit) => unit.entries.length)).toEqual([3, 3, 1]);
    // Seven bytes per item plus a newline: 16 bytes hold two.
    const small = Array.from({ length: 5 }, (_, i) => batched(`{"n":${i}}`, i, { maxBytes: 16 }));
    const units = packSendUnits(small);
    expect(units.map((unit) => unit.entries.length)).toEqual([2, 2, 1]);
    for (const unit of units) expect((unit.body as Uint8Array | ArrayBuffer).byteLength).toBeLessThanOrEqual(16);
  });

  it('compacts a multi-line JSON body onto one line; a multi-line text body travels alone', () => {
    const json = batched('{\n  "n": 1\n}', 1);
    const text = batched('line one\nline two', 2);
    const plain = batched('{"n":3}', 3);
    const units = packSendUnits([json, text, plain]);
    expect(units.map((unit) => unit.entries.map((entry) => entry.id))).toEqual([[text.id], [json.id, plain.id]]);
    expect(bodyText(units[1]!.body)).toBe('{"n":1}\n{"n":3}\n');
  });

  it('keeps different batch keys apart and uses a registered format', () => {
    registerBatchFormat('json-array-test', {
      contentType: 'application/json',
      item: (body) => body,
      join: (items) => new TextEncoder().encode(`[${items.map((item) => new TextDecoder().decode(item)).join(',')}]`),
    });
    const other = `${ORIGIN}/other`;
    const arrays = [1, 2].map((n) => batched(`{"n":${n}}`, n, { key: 'array', format: 'json-array-test', endpoint: other }));
    const lines = [3, 4].map((n) => batched(`{"n":${n}}`, n));
    const units = packSendUnits([...arrays, ...lines]);
    expect(units.map((unit) => [unit.url.split('?')[0], bodyText(unit.body)])).toEqual([
      [other, '[{"n":1},{"n":2}]'],
      [endpoint, '{"n":3}\n{"n":4}\n'],
    ]);
    // A non-safelisted batch type is re-typed like any beacon's.
    expect(units[0]!.headers).toEqual([['content-type', 'text/plain;charset=UTF-8']]);
  });

  it('refuses a format without its functions, or a name already taken', () => {
    expect(() => registerBatchFormat('ndjson', { contentType: 'x', item: (b) => b, join: (i) => i[0]! })).toThrow(CrossrouteError);
    expect(() => registerBatchFormat('broken', { contentType: 'text/plain' } as never)).toThrow(/needs a contentType string and item\(\) and join\(\) functions/);
  });
});
