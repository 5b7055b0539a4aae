import { originOf, toSimpleRequest } from '../../../fetch-spec/index.js';
import type { OutboxEntry } from '../../outbox/outbox-entry.js';
import { withQueryParam } from '../../outbox/query-param.js';
import type { ResolvedBeaconOptions } from './beacon-options.js';
import { headersSetByPage } from '../headers-set-by-page.js';
import { decodeBody } from './decode-body.js';

export interface QueuedBeacon {
  entry: OutboxEntry;
  /** What crossroute changed on the way, for the outcome. */
  changes: string[];
}

/**
 * The outbox entry for an intercepted request: the body read into bytes (and decoded from gzip or
 * deflate: see decodeBody), the request downgraded to
 * a CORS simple request (a method other than GET, HEAD or POST throws: the policy then fails open),
 * and the id added where the rule names a parameter for it.
 */
export async function beaconEntry(request: Request, options: ResolvedBeaconOptions, rule: { index: number; name: string }, now: number): Promise<QueuedBeacon> {
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const simple = toSimpleRequest({ method: request.method, headers: headersSetByPage(request), body: hasBody ? 'bytes' : 'none' });
  const decoded = hasBody ? await decodeBody(await request.arrayBuffer(), request.headers.get('content-encoding')) : null;
  const body = decoded?.body ?? null;
  const id = crypto.randomUUID();
  const changes = simple.changes.map((change) => change.message);
  if (decoded?.change) changes.push(decoded.change);
  const url = options.idParam ? withQueryParam(request.url, options.idParam, id) : request.url;
  if (options.idParam) changes.push(`query parameter ${options.idParam}=${id} added, so the server can drop duplicates`);
  const credentials = options.credentials === 'page' ? request.credentials : options.credentials;
  if (credentials !== request.credentials) changes.push(`credentials "${request.credentials}" sent as "${credentials}"`);
  const { batch, retry, delivery, idParam } = options;
  const batched = batch && simple.method === 'POST' && body !== null;
  const endpoint = request.url.split('#')[0]!;
  const entry: OutboxEntry = {
    id,
    url,
    origin: originOf(request.url),
    method: simple.method,
    headers: simple.headers,
    body,
    credentials,
    delivery,
    simple: simple.changes.length === 0,
    destination: request.destination,
    idParam,
    queuedAt: now,
    expiresAt: now + retry.maxAgeMs,
    nextAttemptAt: batched ? now + batch.waitMs : now,
    attempts: 0,
    sends: 0,
    bytes: (body?.byteLength ?? 0) + url.length,
    retry,
    batch: batched
      ? { key: JSON.stringify([batch.format, endpoint, delivery, credentials]), format: batch.format, endpoint, maxEntries: batch.maxEntries, maxBytes: batch.maxBytes }
      : null,
    rule,
  };
  return { entry, changes };
}
