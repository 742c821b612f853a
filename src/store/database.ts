import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import type { Schema } from './schema.js';
import { withStatementCache } from './sqlite-statement-cache.js';
import { createGroupCommit } from './sqlite-group-commit.js';
import { BACKSTOP_PAGES, createCheckpointer } from './sqlite-checkpointer.js';
import { withPreparedStatements } from './pg-prepared-statements.js';
import { withVersionsAtBegin } from './pg-versions-at-begin.js';
import { loadPg } from './pg-driver.js';
import { beginMemo, endMemo, memoWritesPlugin, restartMemo } from './transaction-memo.js';
import { containsToken } from '../domain/filters.js';
import { listenPostgres, listenSqlite, type DueListener, type StopListening } from './due-signal.js';

export type DialectName = 'sqlite' | 'postgres';
export type Db = Kysely<Schema> | Transaction<Schema>;
/** What a service holds inside Database.transaction (or the database itself): services pass it on to store functions and never build queries with it. */
export type Tx = Kysely<Schema>;

export interface Database {
  dialect: DialectName;
  kysely: Kysely<Schema>;
  /** Runs fn in one transaction. On SQLite it is taken IMMEDIATE so a read-then-write cannot be raced by another process. */
  transaction<T>(fn: (tx: Kysely<Schema>) => Promise<T>): Promise<T>;
  /**
   * Calls `listener` whenever a committed write makes work runnable (src/store/due-signal.ts):
   * on PostgreSQL from any process (LISTEN/NOTIFY), on SQLite from this one. Needs the schema
   * migrated. A hint to look now, never a guarantee: the worker still polls.
   */
  listenForDue(listener: DueListener, onError: (err: unknown) => void): StopListening;
  close(): Promise<void>;
}

const INT8_OID = 20;

export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//.test(url);
}

/**
 * Opens PostgreSQL when given a postgres:// URL, else the SQLite file (created with its folder).
 * `preparedStatements` (PostgreSQL, default on): src/store/pg-prepared-statements.ts.
 * `onBackgroundError`: told when SQLite's checkpoint thread fails (the log, in the server).
 */
export function openDatabase(opts: { url?: string; sqliteFile?: string; preparedStatements?: boolean; onBackgroundError?: (message: string) => void }): Database {
  if (isPostgresUrl(opts.url)) return openPostgres(opts.url, opts.preparedStatements ?? true);
  const file = opts.sqliteFile ?? ':memory:';
  return openSqlite(file, opts.onBackgroundError);
}

function openPostgres(url: string, preparedStatements: boolean): Database {
  const pg = loadPg();
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // Epoch milliseconds and counts are int8; they fit a JS number.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection closed by the server (restart, admin) must not crash the process: the
  // pool drops it and opens a new one on the next query.
  pool.on('error', () => undefined);
  const kysely = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: withVersionsAtBegin(preparedStatements ? withPreparedStatements(pool) : pool) }), plugins: [memoWritesPlugin] });
  return {
    dialect: 'postgres',
    kysely,
    transaction: (fn) => kysely.transaction().execute((tx) => withMemo(tx, kysely, fn)),
    listenForDue: (listener, onError) => listenPostgres(url, listener, onError),
    close: () => kysely.destroy(),
  };
}

function openSqlite(file: string, onBackgroundError?: (message: string) => void): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // 32 MiB of pages instead of SQLite's 2 MiB: a search walking an index and probing each contact
  // re-reads the same upper b-tree pages, and at 1,000,000 contacts they no longer fit in 2 MiB.
  sqlite.pragma('cache_size = -32768');
  // CONTAINS_TOKEN in SQL search (src/store/contact-search-sql.ts): the evaluator's own matcher, so both agree exactly.
  sqlite.function('seqflow_contains_token', { deterministic: true }, (value: unknown, pattern: unknown) =>
    typeof value === 'string' && typeof pattern === 'string' && containsToken(value, pattern) ? 1 : 0,
  );
  const checkpointer = file === ':memory:' ? null : createCheckpointer(file, { onError: onBackgroundError });
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const kysely = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), plugins: [memoWritesPlugin] });
  return {
    dialect: 'sqlite',
    kysely,
    // One connection, so a process never interleaves transactions; IMMEDIATE also locks out
    // other processes on the same file before the first read, so a read-then-write cannot be
    // raced. Transactions that queue meanwhile share one commit (src/store/sqlite-group-commit.ts).
    transaction: createGroupCommit(kysely, { fresh: (conn) => beginMemo(conn, kysely), over: endMemo, committed: () => checkpointer?.committed() }),
    listenForDue: (listener) => listenSqlite(sqlite, listener),
    close: async () => {
      await checkpointer?.close();
      await kysely.destroy();
    },
  };
}

/**
 * Runs fn inside a savepoint of the caller's transaction: when fn throws, its writes are undone
 * and the error passes on, while the transaction stays usable (on PostgreSQL a failed statement
 * would otherwise abort it). Names are the caller's constants, never user input.
 */
export async function inSavepoint<T>(tx: Tx, name: string, fn: () => Promise<T>): Promise<T> {
  await sql.raw(`savepoint ${name}`).execute(tx);
  try {
    const result = await fn();
    await sql.raw(`release savepoint ${name}`).execute(tx);
    return result;
  } catch (err) {
    await sql.raw(`rollback to savepoint ${name}`).execute(tx);
    await sql.raw(`release savepoint ${name}`).execute(tx);
    restartMemo(tx);
    throw err;
  }
}

async function withMemo<T>(tx: Kysely<Schema>, database: object, fn: (tx: Kysely<Schema>) => Promise<T>): Promise<T> {
  beginMemo(tx, database);
  try {
    return await fn(tx);
  } finally {
    endMemo(tx);
  }
}
