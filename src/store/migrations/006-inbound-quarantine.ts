import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Inbound messages Seqflow could not read, or could not process after repeated attempts: kept
 * (with their first bytes) for an admin to inspect, and skipped so reply detection goes on.
 * A row with `quarantined_at` null is a message still being retried; its attempts are counted
 * here so a message that keeps failing cannot block its inbox forever.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = db.schema.createTable('inbound_quarantine');
  await (dialect === 'postgres' ? t.addColumn('id', 'serial', (c) => c.primaryKey()) : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('inbox_id', 'integer', (c) => c.notNull().references('inboxes.id'))
    .addColumn('message_key', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('from_address', 'text')
    .addColumn('subject', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('classification', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    // Raw bytes, not text: a hostile message need not be valid UTF-8, and PostgreSQL text cannot hold NUL.
    .addColumn('raw', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('quarantined_at', 'bigint')
    .addUniqueConstraint('inbound_quarantine_message', ['inbox_id', 'message_key'])
    .execute();
  await db.schema.createIndex('inbound_quarantine_listed').on('inbound_quarantine').columns(['inbox_id', 'quarantined_at', 'id']).execute();
}
