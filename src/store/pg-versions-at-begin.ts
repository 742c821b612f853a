import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import { VERSIONS_SQL } from './transaction-memo.js';

/**
 * On PostgreSQL a statement's cost is mostly its round trip (docs/decisions.md "Third pass"), and
 * three of a pipeline's four transactions begin by reading the catalog's versions
 * (src/store/transaction-memo.ts). `BEGIN` takes no parameters, so it and the versions' read go
 * to the server as one simple query, one round trip; the transaction's read of the versions is
 * answered with that result, once. Reading them at `BEGIN` instead of at first use is what the
 * memo already allows: the versions are read in the transaction before anything kept is used.
 *
 * Until a versions read has worked on this pool (a database before migration 033 has no such
 * table) a `BEGIN` goes alone; a combined one that fails in SQL is rolled back and begun alone.
 */
export function withVersionsAtBegin(pool: PostgresPool): PostgresPool {
  let tableKnown = false;

  const wrap = (client: PostgresPoolClient): PostgresPoolClient => {
    let versions: PostgresQueryResult<unknown> | null = null;

    const begin = async (): Promise<PostgresQueryResult<unknown>> => {
      try {
        const [begun, read] = (await client.query(`begin; ${VERSIONS_SQL}`, [])) as unknown as PostgresQueryResult<unknown>[];
        versions = read!;
        return begun!;
      } catch (err) {
        if (typeof (err as { code?: unknown }).code !== 'string') throw err;
        tableKnown = false;
        await client.query('rollback', []);
        return client.query('begin', []);
      }
    };

    const run = async (text: string, values: readonly unknown[]): Promise<PostgresQueryResult<unknown>> => {
      if (text === 'begin' && tableKnown) return begin();
      if (text === VERSIONS_SQL) {
        const kept = versions;
        versions = null;
        if (kept) return kept;
        const read = await client.query(text, values);
        tableKnown = true;
        return read;
      }
      if (text === 'commit' || text === 'rollback') versions = null;
      return client.query(text, values);
    };

    return {
      query: ((textOrCursor: unknown, values?: readonly unknown[]) =>
        typeof textOrCursor === 'string' ? run(textOrCursor, values ?? []) : client.query(textOrCursor as never)) as PostgresPoolClient['query'],
      release: () => {
        versions = null;
        client.release();
      },
    };
  };

  return {
    connect: async () => wrap(await pool.connect()),
    end: () => pool.end(),
  };
}
