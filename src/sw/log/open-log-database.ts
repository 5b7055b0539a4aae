import { ensureSchema, hasCurrentSchema, LOG_DB_NAME, LOG_SCHEMA_VERSION, type LogDatabase, type LogSchema } from '../../log/schema.js';
import { openDatabase, type SchemaHooks } from '../storage/open-database.js';

/**
 * Opens the log, repairing or upgrading its schema when needed (see openDatabase): the database's
 * version number is therefore not the schema version, which the `meta` store keeps.
 */
export function openLogDatabase(hooks: Pick<SchemaHooks<LogSchema>, 'blocked' | 'closed'>): Promise<LogDatabase> {
  return openDatabase<LogSchema>(LOG_DB_NAME, {
    ...hooks,
    isCurrent: async (db) => hasCurrentSchema(db) && ((await db.get('meta', 'schema'))?.schemaVersion ?? 0) >= LOG_SCHEMA_VERSION,
    upgrade: ensureSchema,
  });
}
