import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Open/click tracking (issue #14 item 3). tracking_links: the http(s) links of a tracked email,
 * by their place in it, so a click token carries only the send and the index and the redirect
 * goes only where the email pointed. tracking_events: each open or click, with the class of
 * user agent (the user agent and the IP themselves are not kept) and whether a mail-privacy
 * proxy made it. At most one row per send, kind, URL and proxy flag per minute: the unique index
 * on the minute makes a burst of fetches one row, atomically, on both databases.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('tracking_links')
    .addColumn('send_id', 'integer', (c) => c.notNull().references('sends.id'))
    .addColumn('link_index', 'integer', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tracking_links_pk', ['send_id', 'link_index'])
    .execute();
  const t = db.schema.createTable('tracking_events');
  await (dialect === 'postgres' ? t.addColumn('id', 'serial', (c) => c.primaryKey()) : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('send_id', 'integer', (c) => c.notNull().references('sends.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('minute', 'bigint', (c) => c.notNull())
    .addColumn('user_agent_class', 'text', (c) => c.notNull())
    .addColumn('proxy', 'integer', (c) => c.notNull())
    .execute();
  await sql`create unique index tracking_events_once_a_minute on tracking_events (send_id, kind, coalesce(url, ''), proxy, minute)`.execute(db);
}
