import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database.js';
import { migrateToLatest } from './migrate.js';
import type { Schema } from './schema.js';
import { claimDueEnrollments } from './enrollments.js';
import { claimDueRuns } from './workflows.js';
import { countAttemptedInWindows, countSentAndScheduled } from './sends.js';

/**
 * The statements every claim and every email step sends must reach their partial indexes on
 * SQLite; a scan grows with the future steps in the table (with 1,000,000 of them the scheduled
 * count made a drain 16× slower). Read from SQLite's own plan of the statement each store
 * function sends, with the values it binds.
 */
describe('query plans on SQLite', () => {
  const sqlite = new SqliteDatabase(':memory:');
  const sent: { sql: string; parameters: readonly unknown[] }[] = [];
  const kysely = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }), log: (e) => void sent.push({ sql: e.query.sql, parameters: e.query.parameters }) });
  beforeAll(async () => {
    await migrateToLatest({ dialect: 'sqlite', kysely } as unknown as Database);
  });
  afterAll(() => kysely.destroy());

  /** SQLite's plan of the last statement `run` sent. */
  const planOf = async (run: () => Promise<unknown>): Promise<string> => {
    sent.length = 0;
    await run();
    const last = sent[sent.length - 1]!;
    return (sqlite.prepare(`explain query plan ${last.sql}`).all(...(last.parameters as unknown[])) as { detail: string }[]).map((r) => r.detail).join(' | ');
  };

  it("should count an inbox's scheduled emails through its scheduled-email index when the daily limit is checked", async () => {
    expect(await planOf(() => countSentAndScheduled(kysely, 7, 0, { from: 0, to: 86_400_000 }))).toContain('USING INDEX enrollments_inbox_scheduled');
  });

  it("should count an inbox's sends of the last 24 hours from an index alone when a send limit is checked", async () => {
    expect(await planOf(() => countAttemptedInWindows(kysely, 7, 0, 60_000))).toContain('USING COVERING INDEX sends_inbox_window_status');
    expect(await planOf(() => countSentAndScheduled(kysely, 7, 0, { from: 0, to: 86_400_000 }))).toContain('USING COVERING INDEX sends_inbox_window_status');
  });

  it('should claim due steps and due workflow actions through their due-time indexes when a worker claims', async () => {
    const claim = { worker: 'w', now: 1_000, leaseMs: 1_000, limit: 50 };
    expect(await planOf(() => claimDueEnrollments(kysely, 'sqlite', claim))).toContain('INDEX enrollments_due');
    expect(await planOf(() => claimDueRuns(kysely, 'sqlite', claim))).toContain('INDEX workflow_runs_due');
  });
});
