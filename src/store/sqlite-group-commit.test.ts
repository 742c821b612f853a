import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Database as SeqflowDatabase } from './database.js';
import { createGroupCommit } from './sqlite-group-commit.js';
import type { Schema } from './schema.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function fileDatabase(): { db: SeqflowDatabase; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqflow-group-'));
  const file = path.join(dir, 'db.sqlite');
  const db = openDatabase({ sqliteFile: file });
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }), () => db.close());
  return { db, file };
}

const insert = (tx: Kysely<Schema>, v: string) => sql`insert into t (v) values (${v})`.execute(tx);
const values = async (db: SeqflowDatabase) => (await sql<{ v: string }>`select v from t order by v`.execute(db.kysely)).rows.map((r) => r.v);

describe('group commit on SQLite', () => {
  it('should keep the other transactions of a group when one of them throws', async () => {
    const { db } = fileDatabase();
    await sql`create table t (v text primary key)`.execute(db.kysely);
    const outcomes = await Promise.allSettled([
      db.transaction((tx) => insert(tx, 'a')),
      db.transaction(async (tx) => {
        await insert(tx, 'b');
        throw new Error('b changed its mind');
      }),
      db.transaction(async (tx) => {
        await insert(tx, 'c');
        return 'c done';
      }),
      // A failed statement (duplicate key) also takes back only its own transaction's writes.
      db.transaction(async (tx) => {
        await insert(tx, 'd');
        await insert(tx, 'a');
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe('b changed its mind');
    expect((outcomes[2] as PromiseFulfilledResult<string>).value).toBe('c done');
    expect(await values(db)).toEqual(['a', 'c']);
  });

  it('should tell a caller its transaction is done only once another connection can read it', async () => {
    const { db, file } = fileDatabase();
    await sql`create table t (v text primary key)`.execute(db.kysely);
    const reader = new Database(file, { readonly: true });
    cleanups.push(() => {
      reader.close();
    });
    const seenAtResolution: string[][] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((v) =>
        db.transaction((tx) => insert(tx, v)).then(() => {
          seenAtResolution.push((reader.prepare('select v from t order by v').all() as { v: string }[]).map((r) => r.v));
        }),
      ),
    );
    expect(seenAtResolution).toEqual([['a', 'b', 'c'], ['a', 'b', 'c'], ['a', 'b', 'c']]);
  });

  it('should write nothing of a group and fail every transaction in it when its commit fails', async () => {
    const { db } = fileDatabase();
    // A deferred foreign key is checked at COMMIT: the one way a healthy database refuses a commit.
    await sql`create table parent (id integer primary key)`.execute(db.kysely);
    await sql`create table t (v text primary key, parent integer references parent (id) deferrable initially deferred)`.execute(db.kysely);
    const outcomes = await Promise.allSettled([
      db.transaction((tx) => insert(tx, 'a')),
      db.transaction((tx) => sql`insert into t (v, parent) values ('orphan', 42)`.execute(tx)),
      db.transaction((tx) => insert(tx, 'c')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(await values(db)).toEqual([]);
    // The connection is usable afterwards.
    await db.transaction((tx) => insert(tx, 'after'));
    expect(await values(db)).toEqual(['after']);
  });

  it('should write nothing of a transaction that runs alone and throws, and go on with the next', async () => {
    const { db } = fileDatabase();
    await sql`create table t (v text primary key)`.execute(db.kysely);
    const alone = db.transaction(async (tx) => {
      await insert(tx, 'a');
      throw new Error('a changed its mind');
    });
    await expect(alone).rejects.toThrow('a changed its mind');
    await db.transaction((tx) => insert(tx, 'b'));
    expect(await values(db)).toEqual(['b']);
  });

  it('should commit once for transactions queued together and once for one alone', async () => {
    const kysely = new Kysely<Schema>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    cleanups.push(() => kysely.destroy());
    await sql`create table t (v text primary key)`.execute(kysely);
    const committed = vi.fn();
    const transaction = createGroupCommit(kysely, { fresh: () => undefined, over: () => undefined, committed });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((v) => transaction((tx) => insert(tx, v))));
    expect(committed).toHaveBeenCalledTimes(1);
    await transaction((tx) => insert(tx, 'f'));
    expect(committed).toHaveBeenCalledTimes(2);
    expect((await sql<{ n: number }>`select count(*) as n from t`.execute(kysely)).rows[0].n).toBe(6);
  });
});
