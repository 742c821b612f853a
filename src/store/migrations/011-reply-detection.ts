import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * The reply-detection alarm (issue #10): when an inbox's watcher has not completed a sync for
 * too long, the inbox's sequences pause (REPLY_DETECTION_DOWN) and its sender and the admins
 * are notified, once per outage.
 * - inbox_watch.first_seen_at: when Seqflow first looked after the inbox (wall clock), so an
 *   inbox whose watcher never synced (a wrong password) is known to be down, and since when;
 * - inbox_watch.alarm_since: when the alarm was raised (wall clock); null while detection works.
 *   Raising and clearing it are conditional updates, so of several workers exactly one pauses,
 *   notifies and later resumes;
 * - notifications: messages to a user that are about no contact (a task always is). One per
 *   person per outage: unique on (user_id, source_key);
 * - an index on paused enrollments by inbox and reason: every alarm check looks for enrollments
 *   still held for an inbox whose detection works again, and must not scan the table for it.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await db.schema.alterTable('inbox_watch').addColumn('first_seen_at', 'bigint').execute();
  await db.schema.alterTable('inbox_watch').addColumn('alarm_since', 'bigint').execute();

  const t = db.schema.createTable('notifications');
  await (dialect === 'postgres' ? t.addColumn('id', 'serial', (c) => c.primaryKey()) : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('inbox_id', 'integer', (c) => c.references('inboxes.id'))
    .addColumn('source_key', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint')
    .addColumn('resolution', 'text')
    .addUniqueConstraint('notifications_once', ['user_id', 'source_key'])
    .execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'resolved_at', 'id']).execute();
  await sql`create index enrollments_paused_by_reason on enrollments (inbox_id, reason) where state = 'PAUSED'`.execute(db);
}
