import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Kysely's SQLite driver prepares every statement again on every query; in the form → email
 * pipeline that preparation cost as much as a seventh of the process's CPU (bench profile,
 * docs/decisions.md "Statement cache"). A few hundred distinct statements cover the whole app, so
 * prepared statements are kept by SQL text, least recently used dropped first. A statement still
 * busy (a stream iterating it) is never handed out twice: a fresh one is prepared beside it.
 */
export function withStatementCache(db: SqliteDatabase & { prepare(sql: string): SqliteStatement & { busy?: boolean } }, max = 500): SqliteDatabase {
  const cache = new Map<string, SqliteStatement & { busy?: boolean }>();
  return {
    close: () => {
      cache.clear();
      return db.close();
    },
    prepare(sql: string) {
      const hit = cache.get(sql);
      if (hit && !hit.busy) {
        // Map keeps insertion order: re-inserting marks the entry most recently used.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const statement = db.prepare(sql);
      if (hit) return statement;
      cache.set(sql, statement);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}
