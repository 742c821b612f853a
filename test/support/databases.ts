import crypto from 'node:crypto';
import pg from 'pg';

/**
 * The dialects every integration suite runs against. PostgreSQL is used when reachable
 * (SEQFLOW_TEST_DATABASE_URL, else the local default); outside CI an unreachable server skips
 * the PostgreSQL suite with a notice, inside CI it fails the run.
 */
const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/postgres';
const adminUrl = process.env.SEQFLOW_TEST_DATABASE_URL ?? DEFAULT_PG;
const required = process.env.CI === 'true' || process.env.SEQFLOW_REQUIRE_POSTGRES === '1';

async function reachable(url: string): Promise<string | null> {
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

const pgProblem = await reachable(adminUrl);
if (pgProblem && required) {
  throw new Error(`PostgreSQL is required in CI but ${adminUrl} is unreachable: ${pgProblem}`);
}
if (pgProblem) {
  console.warn(`[seqflow tests] PostgreSQL suite SKIPPED: ${adminUrl} is unreachable (${pgProblem}). Set SEQFLOW_TEST_DATABASE_URL to run it.`);
}
export const postgresAvailable = pgProblem === null;

export interface TestDatabase {
  /** undefined = SQLite in the test's data dir. */
  url: string | undefined;
  drop(): Promise<void>;
}

/** A fresh, empty PostgreSQL database per call, so suites never see each other's rows. */
export async function freshPostgres(): Promise<TestDatabase> {
  const name = `seqflow_t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      // A closed pool's backends may still be exiting; a forced drop would kill them and
      // surface as an unhandled error in the test that just finished. Wait (real time) briefly.
      for (let i = 0; i < 500; i++) {
        const r = await c.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (r.rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export type DialectCase = { dialect: 'sqlite' | 'postgres'; create(): Promise<TestDatabase> };

export const DIALECTS: DialectCase[] = [
  { dialect: 'sqlite', create: async () => ({ url: undefined, drop: async () => undefined }) },
  { dialect: 'postgres', create: freshPostgres },
];

/** describe.each over both dialects; the PostgreSQL case is skipped (visibly) only outside CI. */
export const dialectCases = DIALECTS.map((d) => ({ ...d, skip: d.dialect === 'postgres' && !postgresAvailable }));
