import { openDB } from '../../idb/index.js';
import { exportNdjson } from '../../log/export-ndjson.js';
import { queryOutcomes, type OutcomeFilter, type OutcomePage, type OutcomeQuery } from '../../log/query.js';
import { hasCurrentSchema, LOG_DB_NAME, type LogDatabase } from '../../log/schema.js';
import { summarize, summarizeLog, type OutcomeSummary } from '../../log/summarize.js';

/** The page's view of the outcome log. Until the worker has created the log, it reads as empty. */
export interface OutcomeLogReader {
  /** One page of stored outcomes. */
  query(query?: OutcomeQuery): Promise<OutcomePage>;
  /** Counts, success rate and duration percentiles, overall, per origin and per policy. */
  summarize(filter?: OutcomeFilter): Promise<OutcomeSummary>;
  /** NDJSON, one outcome per line, oldest first. */
  exportNdjson(filter?: OutcomeFilter): Promise<Blob>;
  /** Deletes every stored outcome. */
  clear(): Promise<void>;
  /** Closes the database connection; the reader opens it again when next used. */
  close(): void;
}

/**
 * Opens the log for reading without ever creating or upgrading it: a page that created the
 * database first would leave an empty version 1 in the worker's way. Each call reopens if needed,
 * so a page that started before the worker's first outcome sees the log once it exists.
 */
export function openOutcomeLog(): OutcomeLogReader {
  let connection: Promise<LogDatabase | undefined> | undefined;
  const database = (): Promise<LogDatabase | undefined> => {
    // Neither "no log yet" nor a failed open is remembered: the next call tries again.
    connection ??= openExisting().then(
      (db) => {
        if (!db) connection = undefined;
        return db;
      },
      (error: unknown) => {
        connection = undefined;
        throw error;
      },
    );
    return connection;
  };
  return {
    async query(query) {
      const db = await database();
      return db ? queryOutcomes(db, query) : { outcomes: [], cursor: null };
    },
    async summarize(filter) {
      const db = await database();
      return db ? summarizeLog(db, filter) : summarize([]);
    },
    async exportNdjson(filter) {
      const db = await database();
      const body = db ? await new Response(exportNdjson(db, filter)).blob() : new Blob([]);
      return new Blob([body], { type: 'application/x-ndjson' });
    },
    async clear() {
      await (await database())?.clear('outcomes');
    },
    close() {
      void connection?.then((db) => db?.close());
      connection = undefined;
    },
  };
}

async function openExisting(): Promise<LogDatabase | undefined> {
  let db: LogDatabase;
  try {
    db = await openDB(LOG_DB_NAME, undefined, {
      // Version 0 means the database does not exist: aborting leaves it uncreated.
      upgrade: (_db, _old, _new, tx) => {
        tx.done.catch(() => undefined); // the abort is the point, not a failure
        tx.abort();
      },
      // The worker wants to upgrade: never stand in its way.
      blocking: () => db.close(),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return undefined;
    throw error;
  }
  if (hasCurrentSchema(db)) return db;
  db.close();
  return undefined;
}
