import { openDB } from 'idb';
import { ensureSchema, hasCurrentSchema, LOG_DB_NAME, LOG_SCHEMA_VERSION, type LogDatabase } from '../../log/schema.js';

export interface OpenHooks {
  /** An upgrade waits for another context that holds the database open. */
  blocked(reason: string): void;
  /** Another context wants to upgrade: the caller should close this connection and reopen later. */
  blocking(): void;
}

/**
 * Opens the log at whatever version it has, and upgrades (one version up) only when its schema is
 * missing or older than this code's. The database's version number is therefore not the schema
 * version: a page that opened the name first leaves an empty version 1 behind, and the worker
 * repairs that by upgrading to 2, without losing a record.
 */
export async function openLogDatabase(hooks: OpenHooks): Promise<LogDatabase> {
  const db = await open(undefined, hooks);
  if (hasCurrentSchema(db) && ((await db.get('meta', 'schema'))?.schemaVersion ?? 0) >= LOG_SCHEMA_VERSION) return db;
  const next = db.version + 1;
  db.close();
  return open(next, hooks);
}

function open(version: number | undefined, hooks: OpenHooks): Promise<LogDatabase> {
  return openDB(LOG_DB_NAME, version, {
    upgrade: (db, _oldVersion, _newVersion, tx) => ensureSchema(db, tx),
    blocked: (current) =>
      hooks.blocked(`the upgrade of ${LOG_DB_NAME} to version ${version} waits for another context holding version ${current} open; close or reload it`),
    blocking: () => hooks.blocking(),
  });
}
