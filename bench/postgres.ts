/**
 * A throw-away PostgreSQL database for one benchmark run, the way test/support/databases.ts
 * makes one per suite (kept separate so bench/ depends on nothing under test/).
 */
import crypto from 'node:crypto';
import pg from 'pg';

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export const adminUrl = (): string =>
  process.env.SEQFLOW_BENCH_DATABASE_URL ?? process.env.SEQFLOW_TEST_DATABASE_URL ?? DEFAULT_ADMIN_URL;

/** null when the server answers; otherwise why not. */
export async function unreachableReason(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return (err as Error).message || String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface TempDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTempDatabase(admin: string): Promise<TempDatabase> {
  const name = `seqflow_bench_${crypto.randomBytes(6).toString('hex')}`;
  const run = async (statement: string) => {
    const c = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 5000 });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end().catch(() => undefined);
    }
  };
  await run(`create database ${name}`);
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return { url: u.toString(), name, drop: () => run(`drop database if exists ${name} with (force)`) };
}
