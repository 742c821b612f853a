import SqliteDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { withStatementCache } from './sqlite-statement-cache.js';

describe('SQLite statement cache', () => {
  const raw = new SqliteDatabase(':memory:');
  afterEach(() => raw.exec('drop table if exists t'));

  it('should hand out the same prepared statement when the same SQL runs again', () => {
    const db = withStatementCache(raw);
    raw.exec('create table t (v integer)');
    const a = db.prepare('insert into t (v) values (?)');
    expect(db.prepare('insert into t (v) values (?)')).toBe(a);
    a.run([1]);
    expect(db.prepare('select count(*) as n from t').all([])).toEqual([{ n: 1 }]);
  });

  it('should prepare a second statement when the cached one is still iterating', () => {
    const db = withStatementCache(raw);
    raw.exec('create table t (v integer); insert into t values (1), (2)');
    const first = db.prepare('select v from t order by v');
    const rows: unknown[] = [];
    for (const row of first.iterate([])) {
      // Reading the same SQL while a stream is open must not throw "statement busy".
      rows.push(row, db.prepare('select v from t order by v').all([]));
    }
    expect(rows).toEqual([{ v: 1 }, [{ v: 1 }, { v: 2 }], { v: 2 }, [{ v: 1 }, { v: 2 }]]);
  });

  it('should drop the least recently used statement when the cache is full', () => {
    const db = withStatementCache(raw, 2);
    const one = db.prepare('select 1');
    db.prepare('select 2');
    db.prepare('select 1');
    db.prepare('select 3');
    expect(db.prepare('select 1')).toBe(one);
    const two = db.prepare('select 2');
    expect(db.prepare('select 2')).toBe(two);
  });

  it('should still run a cached statement when the table changed underneath it', () => {
    const db = withStatementCache(raw);
    raw.exec('create table t (v integer); insert into t values (7)');
    expect(db.prepare('select * from t').all([])).toEqual([{ v: 7 }]);
    raw.exec('alter table t add column w integer default 0');
    expect(db.prepare('select * from t').all([])).toEqual([{ v: 7, w: 0 }]);
  });
});
