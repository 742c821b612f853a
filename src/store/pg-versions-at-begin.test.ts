import pg from 'pg';
import type { PostgresPool } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres, postgresAvailable, type TestDatabase } from '../../test/support/databases.js';
import { withVersionsAtBegin } from './pg-versions-at-begin.js';
import { VERSIONS_SQL } from './transaction-memo.js';

describe.skipIf(!postgresAvailable)('PostgreSQL: the catalog versions read with BEGIN', () => {
  let db: TestDatabase;
  let raw: pg.Pool;
  beforeAll(async () => {
    db = await freshPostgres();
    raw = new pg.Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await raw.end();
    await db.drop();
  });

  /** The pool as Seqflow opens it, and the statements that reached the server, in order. */
  const counted = () => {
    const sent: string[] = [];
    const inner: PostgresPool = {
      connect: async () => {
        const client = await raw.connect();
        return {
          query: ((text: string, values: unknown[]) => (sent.push(text), client.query(text, values))) as never,
          release: () => client.release(),
        };
      },
      end: async () => undefined,
    };
    return { pool: withVersionsAtBegin(inner), sent };
  };
  const rowsOf = (r: unknown) => (r as { rows: unknown[] }).rows;

  it('should answer a transaction its versions from the BEGIN round trip, as committed before it, when the table exists', async () => {
    await raw.query('create table catalog_versions (name text primary key, version bigint not null)');
    await raw.query("insert into catalog_versions values ('lists', 1)");
    const { pool, sent } = counted();
    const conn = await pool.connect();
    await conn.query(VERSIONS_SQL, []); // the first read learns the table is there
    await raw.query("update catalog_versions set version = 2 where name = 'lists'"); // another process
    sent.length = 0;

    await conn.query('begin', []);
    const read = await conn.query(VERSIONS_SQL, []);
    await conn.query('commit', []);

    expect(rowsOf(read)).toEqual([{ name: 'lists', version: '2' }]);
    expect(sent).toEqual([`begin; ${VERSIONS_SQL}`, 'commit']);
    // A second read in the same transaction, or one outside any, asks the server.
    await conn.query('begin', []);
    await conn.query(VERSIONS_SQL, []);
    await conn.query(VERSIONS_SQL, []);
    await conn.query('rollback', []);
    await conn.query(VERSIONS_SQL, []);
    expect(sent.slice(2)).toEqual([`begin; ${VERSIONS_SQL}`, VERSIONS_SQL, 'rollback', VERSIONS_SQL]);
    conn.release();
    await raw.query('drop table catalog_versions');
  });

  it('should begin alone when no versions read has worked yet, and fall back to that when the table went away', async () => {
    const { pool, sent } = counted();
    const conn = await pool.connect();
    await conn.query('begin', []);
    await expect(conn.query(VERSIONS_SQL, [])).rejects.toThrow(/catalog_versions/);
    await conn.query('rollback', []);
    expect(sent).toEqual(['begin', VERSIONS_SQL, 'rollback']);

    await raw.query('create table catalog_versions (name text primary key, version bigint not null)');
    await conn.query(VERSIONS_SQL, []);
    await raw.query('drop table catalog_versions');
    sent.length = 0;
    await conn.query('begin', []);
    await conn.query('create table written_in_it (id int)', []);
    await conn.query('commit', []);
    // The combined BEGIN failed on the missing table: rolled back, begun alone, and the transaction's work committed.
    expect(sent).toEqual([`begin; ${VERSIONS_SQL}`, 'rollback', 'begin', 'create table written_in_it (id int)', 'commit']);
    expect((await raw.query("select to_regclass('written_in_it') as t")).rows).toEqual([{ t: 'written_in_it' }]);
    conn.release();
  });
});
