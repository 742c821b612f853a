import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Workflows, their runs and action log, forms and meetings.
 * - one RUNNING run per (workflow, contact): re-enrollment never overlaps a run in progress;
 * - workflow_memberships records that a contact ever entered a workflow, so "once unless
 *   re-enrollment" is an insert that conflicts, not a read-then-write.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const id = (t: ReturnType<Kysely<any>['schema']['createTable']>) =>
    dialect === 'postgres' ? t.addColumn('id', 'serial', (c) => c.primaryKey()) : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  const ms = 'bigint' as const;

  await id(db.schema.createTable('workflows'))
    .addColumn('uuid', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('is_enabled', 'integer', (c) => c.notNull())
    .addColumn('needs_review', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('review_reason', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('deleted_at', ms)
    .execute();

  await db.schema
    .createTable('workflow_memberships')
    .addColumn('workflow_id', 'integer', (c) => c.notNull().references('workflows.id'))
    .addColumn('contact_id', 'integer', (c) => c.notNull())
    .addColumn('times_enrolled', 'integer', (c) => c.notNull())
    .addColumn('first_enrolled_at', ms, (c) => c.notNull())
    .addColumn('last_enrolled_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('workflow_memberships_pk', ['workflow_id', 'contact_id'])
    .execute();

  await id(db.schema.createTable('workflow_runs'))
    .addColumn('workflow_id', 'integer', (c) => c.notNull().references('workflows.id'))
    .addColumn('contact_id', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('current_action_id', 'text')
    .addColumn('next_due_at', ms)
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', ms)
    .addColumn('started_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('finished_at', ms)
    .execute();
  await sql`create unique index workflow_runs_one_running on workflow_runs (workflow_id, contact_id) where state = 'RUNNING'`.execute(db);
  await sql`create index workflow_runs_due on workflow_runs (next_due_at) where state = 'RUNNING'`.execute(db);
  await db.schema.createIndex('workflow_runs_contact').on('workflow_runs').columns(['contact_id']).execute();

  await id(db.schema.createTable('action_log'))
    .addColumn('workflow_id', 'integer', (c) => c.notNull())
    .addColumn('run_id', 'integer', (c) => c.notNull())
    .addColumn('contact_id', 'integer', (c) => c.notNull())
    .addColumn('action_id', 'text', (c) => c.notNull())
    .addColumn('action_type_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason_code', 'text')
    .addColumn('reason_text', 'text')
    .addColumn('at', ms, (c) => c.notNull())
    .addUniqueConstraint('action_log_once_per_run_action', ['run_id', 'action_id'])
    .execute();
  await db.schema.createIndex('action_log_workflow').on('action_log').columns(['workflow_id', 'contact_id', 'at']).execute();

  await id(db.schema.createTable('forms'))
    .addColumn('guid', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('deleted_at', ms)
    .execute();

  await id(db.schema.createTable('meetings'))
    .addColumn('contact_id', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('properties', 'text', (c) => c.notNull())
    .addColumn('start_at', ms)
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meetings_contact').on('meetings').columns(['contact_id']).execute();
  await db.schema.createIndex('events_type').on('events').columns(['type', 'at']).execute();
}
