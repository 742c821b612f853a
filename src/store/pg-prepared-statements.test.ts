import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres, postgresAvailable, type TestDatabase } from '../../test/support/databases.js';
import { withPreparedStatements } from './pg-prepared-statements.js';

describe.skipIf(!postgresAvailable)('PostgreSQL prepared statements', () => {
  let db: TestDatabase;
  let raw: pg.Pool;
  beforeAll(async () => {
    db = await freshPostgres();
    raw = new pg.Pool({ connectionString: db.url, max: 1 });
    await raw.query('create table t (id int primary key, v text)');
    await raw.query("insert into t values (1, 'a'), (2, 'b')");
  });
  afterAll(async () => {
    await raw.end();
    await db.drop();
  });

  const prepared = async (client: pg.PoolClient) =>
    (await client.query<{ statement: string }>('select statement from pg_prepared_statements order by statement')).rows.map((r) => r.statement);

  it('should prepare a statement on its third use and answer the same rows before and after', async () => {
    const pool = withPreparedStatements(raw);
    const conn = await pool.connect();
    const sql = 'select v from t where id = $1';
    const answers = [];
    for (const id of [1, 2, 1, 2]) answers.push((await conn.query<{ v: string }>(sql, [id])).rows);
    conn.release();
    expect(answers).toEqual([[{ v: 'a' }], [{ v: 'b' }], [{ v: 'a' }], [{ v: 'b' }]]);
    const inspect = await raw.connect();
    expect(await prepared(inspect)).toEqual([sql]);
    inspect.release();
  });

  it('should leave a statement without parameters and a rarely seen one unprepared when they run', async () => {
    const pool = withPreparedStatements(raw);
    const conn = await pool.connect();
    for (let i = 0; i < 5; i++) await conn.query('select count(*) from t', []);
    await conn.query('select v from t where id = $1 and v <> $2', [1, 'x']);
    conn.release();
    const inspect = await raw.connect();
    expect(await prepared(inspect)).not.toContain('select count(*) from t');
    expect(await prepared(inspect)).not.toContain('select v from t where id = $1 and v <> $2');
    inspect.release();
  });

  it('should give the statement a new name and answer when the table changed shape after it was prepared', async () => {
    const pool = withPreparedStatements(raw, { minUses: 1 });
    const conn = await pool.connect();
    const sql = 'select * from t where id = $1';
    expect((await conn.query(sql, [1])).rows).toEqual([{ id: 1, v: 'a' }]);
    await conn.query('alter table t add column w text', []);
    // The first call after the change is refused by PostgreSQL ("cached plan must not change result type").
    expect((await conn.query(sql, [1])).rows).toEqual([{ id: 1, v: 'a', w: null }]);
    expect((await conn.query(sql, [2])).rows).toEqual([{ id: 2, v: 'b', w: null }]);
    conn.release();
  });

  it('should stop naming statements when the limit of names is reached', async () => {
    const pool = withPreparedStatements(raw, { maxNames: 1, minUses: 1 });
    const conn = await pool.connect();
    await conn.query('select v from t where id = $1 and 1 = 1', [1]);
    await conn.query('select v from t where id = $1 and 2 = 2', [1]);
    conn.release();
    const inspect = await raw.connect();
    const names = await prepared(inspect);
    inspect.release();
    expect(names).toContain('select v from t where id = $1 and 1 = 1');
    expect(names).not.toContain('select v from t where id = $1 and 2 = 2');
  });
});
