/**
 * The types of crossroute's IndexedDB wrapper (see open-db.ts): a database's schema names its
 * stores, their keys, values and indexes, and every call is checked against it. A read-only
 * transaction has no `put`; an index or store not in the schema does not type-check.
 */

/** A database's stores: for each, its key, its value and its indexes (index name → key). */
export interface DBSchema {
  [store: string]: DBSchemaStore;
}

/** One store of a {@link DBSchema}. */
export interface DBSchemaStore {
  key: IDBValidKey;
  value: unknown;
  indexes?: { [index: string]: IDBValidKey };
}

// The names a schema declares, without DBSchema's index signature.
type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };

/** The store names of a schema. */
export type StoreNames<S extends DBSchema> = KnownKeys<S> & string;
/** The value type of store `N`. */
export type StoreValue<S extends DBSchema, N extends StoreNames<S>> = S[N]['value'];
/** The key type of store `N`. */
export type StoreKey<S extends DBSchema, N extends StoreNames<S>> = S[N]['key'];
/** The index names of store `N`. */
export type IndexNames<S extends DBSchema, N extends StoreNames<S>> = S[N] extends { indexes: infer I } ? KnownKeys<I> & string : never;
/** The key type of index `I` of store `N`. */
export type IndexKey<S extends DBSchema, N extends StoreNames<S>, I extends IndexNames<S, N>> = S[N] extends { indexes: infer X } ? (X extends Record<I, infer K> ? K : never) : never;

/** What a read or a cursor is positioned on: a key of the store (or of the index, `I`) or a range. */
type Query<S extends DBSchema, N extends StoreNames<S>, I> = CursorKey<S, N, I> | IDBKeyRange;
// The key of the store (I: never) or of its index I.
type CursorKey<S extends DBSchema, N extends StoreNames<S>, I> = [I] extends [never] ? StoreKey<S, N> : I extends IndexNames<S, N> ? IndexKey<S, N, I> : never;
// A write exists only in a transaction that may write.
type Writing<M extends IDBTransactionMode, F> = M extends 'readonly' ? undefined : F;

/** An open database: IDBDatabase with promises, plus one-call shortcuts that each run a transaction. */
export interface IDBPDatabase<S extends DBSchema> extends Pick<IDBDatabase, 'name' | 'version' | 'objectStoreNames' | 'close'> {
  transaction<N extends StoreNames<S>, M extends IDBTransactionMode = 'readonly'>(store: N, mode?: M): IDBPTransaction<S, [N], M>;
  transaction<Ns extends ArrayLike<StoreNames<S>>, M extends IDBTransactionMode = 'readonly'>(stores: Ns, mode?: M): IDBPTransaction<S, Ns, M>;
  /** During an upgrade only. */
  createObjectStore<N extends StoreNames<S>>(name: N, options?: IDBObjectStoreParameters): IDBPObjectStore<S, ArrayLike<StoreNames<S>>, N, 'versionchange'>;
  get<N extends StoreNames<S>>(store: N, query: Query<S, N, never>): Promise<StoreValue<S, N> | undefined>;
  getAll<N extends StoreNames<S>>(store: N, query?: Query<S, N, never> | null, count?: number): Promise<Array<StoreValue<S, N>>>;
  getAllFromIndex<N extends StoreNames<S>, I extends IndexNames<S, N>>(store: N, index: I, query?: Query<S, N, I> | null, count?: number): Promise<Array<StoreValue<S, N>>>;
  count<N extends StoreNames<S>>(store: N, query?: Query<S, N, never> | null): Promise<number>;
  put<N extends StoreNames<S>>(store: N, value: StoreValue<S, N>, key?: StoreKey<S, N>): Promise<StoreKey<S, N>>;
  add<N extends StoreNames<S>>(store: N, value: StoreValue<S, N>, key?: StoreKey<S, N>): Promise<StoreKey<S, N>>;
  delete<N extends StoreNames<S>>(store: N, query: Query<S, N, never>): Promise<void>;
  clear(store: StoreNames<S>): Promise<void>;
}

/** A transaction over the stores `Ns`, in mode `M`. */
export interface IDBPTransaction<S extends DBSchema, Ns extends ArrayLike<StoreNames<S>>, M extends IDBTransactionMode = 'readonly'> {
  readonly mode: M;
  readonly error: DOMException | null;
  /** Resolves when the transaction commits; rejects when it aborts or fails. */
  readonly done: Promise<void>;
  /** The transaction's one store; undefined when it spans several. */
  readonly store: Ns extends readonly [infer N extends StoreNames<S>] ? IDBPObjectStore<S, Ns, N, M> : undefined;
  objectStore<N extends Ns[number]>(name: N): IDBPObjectStore<S, Ns, N, M>;
  abort(): void;
  commit(): void;
}

/** Reads shared by stores and indexes; `I` is the index name (never for a store). */
interface Source<S extends DBSchema, Ns extends ArrayLike<StoreNames<S>>, N extends StoreNames<S>, I, M extends IDBTransactionMode> {
  readonly name: string;
  get(query: Query<S, N, I>): Promise<StoreValue<S, N> | undefined>;
  getKey(query: Query<S, N, I>): Promise<StoreKey<S, N> | undefined>;
  getAll(query?: Query<S, N, I> | null, count?: number): Promise<Array<StoreValue<S, N>>>;
  count(query?: Query<S, N, I> | null): Promise<number>;
  openCursor(query?: Query<S, N, I> | null, direction?: IDBCursorDirection): Promise<IDBPCursorWithValue<S, Ns, N, I, M> | null>;
  openKeyCursor(query?: Query<S, N, I> | null, direction?: IDBCursorDirection): Promise<IDBPCursor<S, Ns, N, I, M> | null>;
  /** Every cursor position in turn; the loop moves the cursor: do not call `continue` or `advance` in it. */
  iterate(query?: Query<S, N, I> | null, direction?: IDBCursorDirection): AsyncIterableIterator<IDBPCursorWithValue<S, Ns, N, I, M>>;
}

/** A store of a transaction. */
export interface IDBPObjectStore<S extends DBSchema, Ns extends ArrayLike<StoreNames<S>>, N extends StoreNames<S>, M extends IDBTransactionMode = 'readonly'>
  extends Source<S, Ns, N, never, M> {
  readonly indexNames: DOMStringList;
  index<I extends IndexNames<S, N>>(name: I): IDBPIndex<S, Ns, N, I, M>;
  put: Writing<M, (value: StoreValue<S, N>, key?: StoreKey<S, N>) => Promise<StoreKey<S, N>>>;
  add: Writing<M, (value: StoreValue<S, N>, key?: StoreKey<S, N>) => Promise<StoreKey<S, N>>>;
  delete: Writing<M, (query: Query<S, N, never>) => Promise<void>>;
  clear: Writing<M, () => Promise<void>>;
  /** During an upgrade only. */
  createIndex: M extends 'versionchange' ? <I extends IndexNames<S, N>>(name: I, keyPath: string | string[], options?: IDBIndexParameters) => IDBPIndex<S, Ns, N, I, M> : undefined;
}

/** An index of a store. */
export type IDBPIndex<S extends DBSchema, Ns extends ArrayLike<StoreNames<S>>, N extends StoreNames<S>, I extends IndexNames<S, N>, M extends IDBTransactionMode = 'readonly'> = Source<S, Ns, N, I, M>;

/** A cursor: moving it resolves the same cursor at its next position, or null past the end. */
export interface IDBPCursor<S extends DBSchema, Ns extends ArrayLike<StoreNames<S>>, N extends StoreNames<S>, I, M extends IDBTransactionMode = 'readonly'> {
  readonly key: CursorKey<S, N, I>;
  readonly primaryKey: StoreKey<S, N>;
  readonly direction: IDBCursorDirection;
  continue(key?: Query<S, N, I>): Promise<this | null>;
  advance(count: number): Promise<this | null>;
  delete: Writing<M, () => Promise<void>>;
  update: Writing<M, (value: StoreValue<S, N>) => Promise<StoreKey<S, N>>>;
}

/** A cursor that reads the record's value too. */
export interface IDBPCursorWithValue<S extends DBSchema, Ns extends ArrayLike<StoreNames<S>>, N extends StoreNames<S>, I, M extends IDBTransactionMode = 'readonly'>
  extends IDBPCursor<S, Ns, N, I, M> {
  readonly value: StoreValue<S, N>;
}

/** What openDB calls back: the upgrade (with its versionchange transaction) and the connection's events. */
export interface OpenDBCallbacks<S extends DBSchema> {
  upgrade?(db: IDBPDatabase<S>, oldVersion: number, newVersion: number | null, tx: IDBPTransaction<S, Array<StoreNames<S>>, 'versionchange'>, event: IDBVersionChangeEvent): void;
  /** Another connection holds an older version open. */
  blocked?(currentVersion: number, blockedVersion: number | null, event: IDBVersionChangeEvent): void;
  /** This connection is in the way of another's upgrade (or deletion). */
  blocking?(currentVersion: number, blockedVersion: number | null, event: IDBVersionChangeEvent): void;
  /** The browser closed the connection. */
  terminated?(): void;
}
