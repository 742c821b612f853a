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

async function runAdmin(admin: string, statement: string): Promise<{ rowCount: number | null }> {
  const c = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    return await c.query(statement);
  } finally {
    await c.end().catch(() => undefined);
  }
}

const handle = (admin: string, name: string): TempDatabase => {
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return { url: u.toString(), name, drop: () => runAdmin(admin, `drop database if exists ${name} with (force)`).then(() => undefined) };
};

export async function createTempDatabase(admin: string): Promise<TempDatabase> {
  const name = `seqflow_bench_${crypto.randomBytes(6).toString('hex')}`;
  await runAdmin(admin, `create database ${name}`);
  return handle(admin, name);
}

/** A database kept between runs under a fixed name (created when missing). */
export async function keptDatabase(admin: string, name: string): Promise<TempDatabase> {
  const found = await runAdmin(admin, `select 1 from pg_database where datname = '${name}'`);
  if (!found.rowCount) await runAdmin(admin, `create database ${name}`);
  return handle(admin, name);
}
