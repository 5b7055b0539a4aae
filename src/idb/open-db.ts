import type { DBSchema, IDBPDatabase, OpenDBCallbacks } from './types.js';

/**
 * crossroute's IndexedDB in promises, in the shape of the `idb` package with only what crossroute
 * uses: requests become promises, and databases, transactions, stores, indexes and cursors are
 * wrapped so that their requests do too. The types (types.ts) hold the schema; this file only wraps.
 */
export function openDB<S extends DBSchema>(name: string, version?: number, callbacks: OpenDBCallbacks<S> = {}): Promise<IDBPDatabase<S>> {
  const { upgrade, blocked, blocking, terminated } = callbacks;
  const request = indexedDB.open(name, version);
  if (upgrade) request.onupgradeneeded = (event) => upgrade(wrap(request.result) as never, event.oldVersion, event.newVersion, wrap(request.transaction!) as never, event);
  if (blocked) request.onblocked = (event) => blocked(event.oldVersion, event.newVersion, event);
  request.addEventListener('success', () => {
    const db = request.result;
    if (blocking) db.onversionchange = (event) => blocking(event.oldVersion, event.newVersion, event);
    if (terminated) db.onclose = terminated;
  });
  return settle(request);
}

const proxies = new WeakMap<object, unknown>();
const committed = new WeakMap<IDBTransaction, Promise<void>>();
// Database methods that run one request in a transaction of their own (`db.get(store, key)`).
const SHORTCUT = /^(get|getAll|count|(put|add|delete|clear))(FromIndex)?$/;

/** The request's result (wrapped), or its error. */
function settle<T>(request: IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(wrap(request.result));
    request.onerror = () => reject(request.error);
  });
}

// Created with the transaction: a transaction that ended before `done` was read still settles it.
// A failed request aborts it (unless its error event was cancelled), so abort alone rejects, with
// the request's error, which the transaction holds by then.
function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new DOMException('aborted', 'AbortError'));
  });
}

async function* iterate(cursor: Promise<IDBCursor | null>): AsyncGenerator<IDBCursor> {
  for (let at = await cursor; at; at = await (at.continue() as unknown as Promise<IDBCursor | null>)) yield at;
}

function wrap<T>(value: T): T {
  if (value instanceof IDBRequest) return settle(value) as T;
  if (!(value instanceof IDBDatabase || value instanceof IDBTransaction || value instanceof IDBObjectStore || value instanceof IDBIndex || value instanceof IDBCursor)) return value;
  if (value instanceof IDBTransaction && !committed.has(value)) committed.set(value, done(value));
  let proxy = proxies.get(value) as T | undefined;
  if (!proxy) {
    proxy = new Proxy(value, { get: (target, property) => member(target, property) }) as T;
    proxies.set(value, proxy);
  }
  return proxy;
}

function member(target: any, property: string | symbol): unknown {
  if (typeof property !== 'string') return target[property];
  if (target instanceof IDBTransaction) {
    if (property === 'done') return committed.get(target);
    if (property === 'store') return target.objectStoreNames.length === 1 ? wrap(target.objectStore(target.objectStoreNames[0]!)) : undefined;
  }
  if (target instanceof IDBCursor && /^(continue|advance)$/.test(property)) {
    // A cursor moves by firing its opening request again: that request settles the move.
    return (...args: unknown[]) => ((target[property as 'continue'] as (...a: unknown[]) => void).apply(target, args), settle(target.request));
  }
  if (property === 'iterate' && !(target instanceof IDBCursor)) return (...args: unknown[]) => iterate(wrap(target.openCursor(...args)));
  const shortcut = target instanceof IDBDatabase && !(property in target) && SHORTCUT.exec(property);
  if (shortcut) {
    return (store: string, ...args: unknown[]) => {
      const tx = wrap(target.transaction(store, shortcut[2] ? 'readwrite' : 'readonly')) as any;
      const source = shortcut[3] ? tx.store.index(args.shift()) : tx.store;
      return Promise.all([source[shortcut[1]!](...args), shortcut[2] && tx.done]).then(([result]) => result);
    };
  }
  const value = target[property];
  return typeof value === 'function' ? (...args: unknown[]) => wrap(value.apply(target, args)) : wrap(value);
}
