import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * An action may now be logged more than once in a run: each failed attempt of a webhook is a
 * RETRYING entry before the one final entry. "Once per run and action" still holds for the
 * final entries, as a partial unique index. SQLite cannot drop a table constraint, so there the
 * table is rebuilt (same columns, same ids).
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') {
    await sql`alter table action_log drop constraint action_log_once_per_run_action`.execute(db);
  } else {
    await db.schema
      .createTable('action_log_new')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('workflow_id', 'integer', (c) => c.notNull())
      .addColumn('run_id', 'integer', (c) => c.notNull())
      .addColumn('contact_id', 'integer', (c) => c.notNull())
      .addColumn('action_id', 'text', (c) => c.notNull())
      .addColumn('action_type_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason_code', 'text')
      .addColumn('reason_text', 'text')
      .addColumn('at', 'bigint', (c) => c.notNull())
      .execute();
    await sql`insert into action_log_new select id, workflow_id, run_id, contact_id, action_id, action_type_id, status, reason_code, reason_text, at from action_log`.execute(db);
    await db.schema.dropTable('action_log').execute();
    await sql`alter table action_log_new rename to action_log`.execute(db);
    await db.schema.createIndex('action_log_workflow').on('action_log').columns(['workflow_id', 'contact_id', 'at']).execute();
  }
  await sql`create unique index action_log_once_per_run_action on action_log (run_id, action_id) where status <> 'RETRYING'`.execute(db);
  await sql`create index action_log_attempts on action_log (run_id, action_id) where status = 'RETRYING'`.execute(db);
}
