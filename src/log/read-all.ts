import { queryOutcomes, type OutcomeFilter } from './query.js';
import type { LogDatabase, StoredOutcome } from './schema.js';

const PAGE = 1000;

/** Every outcome the query selects, oldest first, a page (one short transaction) at a time. */
export async function* readAll(db: LogDatabase, query: OutcomeFilter = {}): AsyncGenerator<StoredOutcome> {
  let cursor: string | undefined;
  do {
    const page = await queryOutcomes(db, { ...query, order: 'oldest', limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
    yield* page.outcomes;
    cursor = page.cursor ?? undefined;
  } while (cursor !== undefined);
}
