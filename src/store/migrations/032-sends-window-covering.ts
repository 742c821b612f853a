import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * The send limits count an inbox's sends in the last 24 hours by status (src/store/sends.ts
 * `countedSince`), twice per email. With the status only in the table, each send of the window
 * was a row lookup on SQLite, so the counts grew with the inbox's volume (115 and 84 µs per
 * pipeline in a 1,000-email drain); with the status in the index they are read from the index
 * alone. It replaces the (inbox_id, attempted_at) index it extends.
 *
 * Not on PostgreSQL: there an index-only scan still visits the table for rows written since the
 * last vacuum (all of a day's sends, as they are new), and an indexed status would make the
 * update that records a send's outcome a non-HOT one, writing every index of the row again.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect !== 'sqlite') return;
  await db.schema.createIndex('sends_inbox_window_status').on('sends').columns(['inbox_id', 'attempted_at', 'status']).execute();
  await db.schema.dropIndex('sends_inbox_window').execute();
}
