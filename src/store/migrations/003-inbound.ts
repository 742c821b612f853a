import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Reading inboxes: one watch row per inbox holds the UID watermark (with its UIDVALIDITY), the
 * health of the last sync, and the lease that makes exactly one worker watch the inbox.
 * inbound_messages makes "never process a message twice" a unique key, not a hope.
 */
export async function up(db: Kysely<any>, _dialect: DialectName): Promise<void> {
  const ms = 'bigint' as const;
  await db.schema
    .createTable('inbox_watch')
    .addColumn('inbox_id', 'integer', (c) => c.primaryKey().references('inboxes.id'))
    .addColumn('uid_validity', 'text')
    .addColumn('last_uid', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_sync_at', ms)
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', ms)
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', ms)
    .execute();

  await db.schema
    .createTable('inbound_messages')
    .addColumn('inbox_id', 'integer', (c) => c.notNull())
    .addColumn('message_key', 'text', (c) => c.notNull())
    .addColumn('classification', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'integer')
    .addColumn('enrollment_id', 'integer')
    .addColumn('received_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('inbound_messages_pk', ['inbox_id', 'message_key'])
    .execute();
}
