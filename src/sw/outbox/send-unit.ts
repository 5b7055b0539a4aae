import { toSimpleRequest } from '../../fetch-spec/index.js';
import { batchFormat } from './batch-formats.js';
import type { OutboxEntry } from './outbox-entry.js';
import { withQueryParam } from './query-param.js';

/** One request to send: a single beacon, or several batched into one body. */
export interface SendUnit {
  origin: string;
  /** The beacons it carries, oldest first. */
  entries: OutboxEntry[];
  url: string;
  method: OutboxEntry['method'];
  headers: Array<[string, string]>;
  body: BufferSource | null;
}

/**
 * Turns claimed entries into requests: entries that share a batch key are packed, oldest first,
 * into batches of at most `maxEntries` and `maxBytes` (never more than the 64 KiB keepalive budget);
 * the rest, and bodies the format cannot take, go alone.
 */
export function packSendUnits(entries: readonly OutboxEntry[]): SendUnit[] {
  const units: SendUnit[] = [];
  const groups = new Map<string, OutboxEntry[]>();
  for (const entry of entries) {
    if (entry.batch && entry.body && batchFormat(entry.batch.format)) {
      const group = groups.get(entry.batch.key) ?? [];
      group.push(entry);
      groups.set(entry.batch.key, group);
    } else {
      units.push(single(entry));
    }
  }
  for (const group of groups.values()) units.push(...packGroup(group.sort((a, b) => a.queuedAt - b.queuedAt)));
  return units;
}

function single(entry: OutboxEntry): SendUnit {
  const { origin, url, method, headers, body } = entry;
  return { origin, entries: [entry], url, method, headers, body };
}

function packGroup(group: OutboxEntry[]): SendUnit[] {
  const { format: name, maxEntries, maxBytes } = group[0]!.batch!;
  const format = batchFormat(name)!;
  const units: SendUnit[] = [];
  let members: OutboxEntry[] = [];
  let items: Array<Uint8Array<ArrayBuffer>> = [];
  let size = 0;
  const flush = (): void => {
    units.push(...finish(members, items));
    members = [];
    items = [];
    size = 0;
  };
  for (const entry of group) {
    const item = format.item(new Uint8Array(entry.body!));
    if (item === null || item.byteLength > maxBytes) {
      units.push(single(entry));
      continue;
    }
    // The items' own bytes are a lower bound of the joined size; finish() checks the real one.
    if (members.length === maxEntries || size + item.byteLength > maxBytes) flush();
    members.push(entry);
    items.push(item);
    size += item.byteLength;
  }
  flush();
  return units;
}

/** A batch of these members, or fewer: members are moved to a following batch while the joined body is over maxBytes. */
function finish(members: OutboxEntry[], items: Array<Uint8Array<ArrayBuffer>>): SendUnit[] {
  if (members.length === 0) return [];
  if (members.length === 1) return [single(members[0]!)];
  const first = members[0]!;
  const { format: name, maxBytes, endpoint } = first.batch!;
  const format = batchFormat(name)!;
  let count = members.length;
  let body = format.join(items);
  while (body.byteLength > maxBytes && count > 1) body = format.join(items.slice(0, --count));
  if (count === 1) return [single(first), ...finish(members.slice(1), items.slice(1))];
  const taken = members.slice(0, count);
  const ids = taken.map((entry) => entry.id).join(',');
  const headers = first.headers.filter(([name]) => name !== 'content-type');
  const simple = toSimpleRequest({ method: 'POST', headers: [...headers, ['content-type', format.contentType]], body: 'bytes' });
  const unit: SendUnit = {
    origin: first.origin,
    entries: taken,
    url: first.idParam ? withQueryParam(endpoint, first.idParam, ids) : endpoint,
    method: 'POST',
    headers: simple.headers,
    body,
  };
  return [unit, ...finish(members.slice(count), items.slice(count))];
}
