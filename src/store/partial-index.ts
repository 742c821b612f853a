import { sql, type RawBuilder } from 'kysely';

/**
 * A value a partial index is defined by (`where state = 'ACTIVE'`), written into the SQL text
 * instead of bound. SQLite uses a partial index only when it can prove the query's WHERE
 * implies the index's, which it cannot through a parameter: with 1,000,000 future-dated steps
 * the claims and the daily limit's count of scheduled emails scanned the whole table (issue #11).
 * Only ever our own constants, never input.
 */
export const indexed = <V extends string>(value: V): RawBuilder<V> => sql.lit(value);
