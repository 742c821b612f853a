import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Wake-ups for workers (PostgreSQL): a row that becomes runnable and due now NOTIFYs
 * `seqflow_due` (src/store/due-signal.ts). A trigger catches every writer — the API, other
 * workers, the CLI, a future code path — and the notification goes out on commit only. "Due now"
 * is judged on the database's clock with a second of slack for skew; a follow-up days ahead
 * wakes nobody. PostgreSQL sends identical notifications of one transaction once. SQLite needs
 * nothing stored: its single process installs temporary triggers on its own connection.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`
    create or replace function seqflow_notify_due() returns trigger language plpgsql as $$
    begin
      perform pg_notify('seqflow_due', '');
      return null;
    end $$`.execute(db);
  const dueNow = sql.raw(`new.next_due_at is not null and new.lease_owner is null and new.next_due_at <= (extract(epoch from clock_timestamp()) * 1000)::bigint + 1000`);
  for (const [table, state] of [
    ['enrollments', 'ACTIVE'],
    ['workflow_runs', 'RUNNING'],
  ]) {
    const when = sql`new.state = ${sql.lit(state)} and ${dueNow}`;
    await sql`create trigger ${sql.raw(`${table}_due_insert`)} after insert on ${sql.table(table)} for each row when (${when}) execute function seqflow_notify_due()`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_due_update`)} after update of next_due_at, state, lease_owner on ${sql.table(table)} for each row when (${when}) execute function seqflow_notify_due()`.execute(db);
  }
  await sql`create trigger workflows_enabled after update of is_enabled on workflows for each row when (new.is_enabled = 1) execute function seqflow_notify_due()`.execute(db);
}
