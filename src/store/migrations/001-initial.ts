import { sql, type Kysely, type CreateTableBuilder } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * The first schema. Invariants live here, not only in code:
 * - one contact per email (case-insensitive, via email_key);
 * - one ACTIVE/PAUSED enrollment per contact (partial unique index);
 * - one send per (enrollment, step) and one row per Message-ID.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const table = (name: string): CreateTableBuilder<string, 'id'> => {
    const t = db.schema.createTable(name);
    return dialect === 'postgres'
      ? t.addColumn('id', 'serial', (c) => c.primaryKey())
      : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  };
  const ms = 'bigint' as const;

  await table('users')
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_key', 'text', (c) => c.notNull().unique())
    .addColumn('first_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('last_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('user'))
    .addColumn('seat', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('timezone', 'text')
    .addColumn('signature', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('deleted_at', ms)
    .execute();

  await table('inboxes')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('address_key', 'text', (c) => c.notNull().unique())
    .addColumn('aliases', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('smtp', 'text')
    .addColumn('imap', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('daily_limit', 'integer', (c) => c.notNull())
    .addColumn('per_minute_limit', 'integer', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inboxes_user').on('inboxes').column('user_id').execute();

  await table('contacts')
    .addColumn('email', 'text')
    .addColumn('email_key', 'text', (c) => c.unique())
    .addColumn('properties', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('archived_at', ms)
    .addColumn('bounced_at', ms)
    .addColumn('unsubscribed_at', ms)
    .execute();

  await table('sequences')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('deleted_at', ms)
    .execute();

  await table('sequence_steps')
    .addColumn('sequence_id', 'integer', (c) => c.notNull().references('sequences.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('step_order', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('delay_millis', ms, (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('thread_to_step_order', 'integer')
    .addColumn('task_type', 'text')
    .addColumn('task_priority', 'text')
    .addColumn('task_gates_next_step', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addUniqueConstraint('sequence_steps_version_order', ['sequence_id', 'version', 'step_order'])
    .execute();

  await table('enrollments')
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id'))
    .addColumn('sequence_id', 'integer', (c) => c.notNull().references('sequences.id'))
    .addColumn('sequence_version', 'integer', (c) => c.notNull())
    .addColumn('sender_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('enrolled_by_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('inbox_id', 'integer', (c) => c.notNull().references('inboxes.id'))
    .addColumn('sender_email', 'text', (c) => c.notNull())
    .addColumn('to_email', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('current_step', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_step_type', 'text')
    .addColumn('next_due_at', ms)
    .addColumn('paused_remaining_ms', ms)
    .addColumn('placeholder_values', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', ms)
    .addColumn('enrolled_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('ended_at', ms)
    .execute();
  await sql`create unique index enrollments_one_running_per_contact on enrollments (contact_id) where state in ('ACTIVE', 'PAUSED')`.execute(db);
  // The engine's claim query: runnable rows by due time. Finished rows drop out of the index.
  await sql`create index enrollments_due on enrollments (next_due_at) where state = 'ACTIVE'`.execute(db);
  await sql`create index enrollments_inbox_scheduled on enrollments (inbox_id, next_due_at) where state in ('ACTIVE', 'PAUSED') and next_step_type = 'EMAIL'`.execute(db);
  await db.schema.createIndex('enrollments_contact').on('enrollments').column('contact_id').execute();
  await db.schema.createIndex('enrollments_sequence').on('enrollments').columns(['sequence_id', 'state']).execute();

  await table('sends')
    .addColumn('enrollment_id', 'integer', (c) => c.notNull().references('enrollments.id'))
    .addColumn('step_order', 'integer', (c) => c.notNull())
    .addColumn('inbox_id', 'integer', (c) => c.notNull().references('inboxes.id'))
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('from_email', 'text', (c) => c.notNull())
    .addColumn('to_email', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('attempted_at', ms, (c) => c.notNull())
    .addColumn('sent_at', ms)
    .addUniqueConstraint('sends_one_per_step', ['enrollment_id', 'step_order'])
    .execute();
  await db.schema.createIndex('sends_inbox_window').on('sends').columns(['inbox_id', 'attempted_at']).execute();

  await table('tasks')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id'))
    .addColumn('enrollment_id', 'integer', (c) => c.references('enrollments.id'))
    .addColumn('step_order', 'integer')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('due_at', ms, (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('completed_at', ms)
    .execute();
  await db.schema.createIndex('tasks_user').on('tasks').columns(['user_id', 'status']).execute();

  await table('events')
    .addColumn('contact_id', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', ms, (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('events_contact').on('events').columns(['contact_id', 'at']).execute();

  await table('blocked_recipients')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addUniqueConstraint('blocked_recipients_kind_value', ['kind', 'value'])
    .execute();

  await table('api_tokens')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('revoked_at', ms)
    .execute();

  await table('dev_mail_messages')
    .addColumn('message_id', 'text')
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('to_addresses', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('html', 'text')
    .addColumn('headers', 'text', (c) => c.notNull())
    .addColumn('raw', 'text', (c) => c.notNull())
    .addColumn('received_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}
