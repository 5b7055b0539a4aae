import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from '../../idb/index.js';

export interface SchemaHooks<S extends DBSchema> {
  /** Whether the opened database already holds this code's schema. */
  isCurrent(db: IDBPDatabase<S>): boolean | Promise<boolean>;
  /** Creates whatever is missing, never assuming an empty database, and migrates what is there. */
  upgrade(db: IDBPDatabase<S>, tx: IDBPTransaction<S, Array<StoreNames<S>>, 'versionchange'>): void;
  /** The upgrade waits for another context that holds the database open. */
  blocked?(reason: string): void;
  /** The connection was closed: another context asked to upgrade, or the browser ended it. Reopen on next use. */
  closed?(): void;
}

/**
 * Opens `name` at whatever version it has and upgrades one version up only when `isCurrent` says the
 * schema is missing or old. Asking for a fixed version would not do: a page that opens the name
 * first leaves an empty version 1, whose upgrade then never runs. The schema decides, not the number,
 * and a repaired database keeps every record it held.
 */
export async function openDatabase<S extends DBSchema>(name: string, hooks: SchemaHooks<S>): Promise<IDBPDatabase<S>> {
  const db = await open(name, undefined, hooks);
  if (await hooks.isCurrent(db)) return db;
  const next = db.version + 1;
  db.close();
  return open(name, next, hooks);
}

function open<S extends DBSchema>(name: string, version: number | undefined, hooks: SchemaHooks<S>): Promise<IDBPDatabase<S>> {
  return openDB<S>(name, version, {
    upgrade: (db, _oldVersion, _newVersion, tx) => hooks.upgrade(db, tx),
    blocked: (current) =>
      hooks.blocked?.(`the upgrade of ${name} to version ${version} waits for another context holding version ${current} open; close or reload it`),
    blocking: (_current, _next, event) => {
      (event.target as IDBDatabase).close();
      hooks.closed?.();
    },
    terminated: () => hooks.closed?.(),
  });
}
