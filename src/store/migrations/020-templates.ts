import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Templates and snippets (issue #14 item 1): a library of email subjects and bodies, and of short
 * texts reps insert while writing. Private to their owner unless shared with the whole team.
 * Removed ones keep their row (deleted_at), so a step that was copied from one still names it; a
 * live snippet's shortcut is unique, compared in lower case (stored so), a removed one frees it.
 * A sequence step remembers the template it was copied from (template_id), for reference only.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const withId = (table: string) => {
    const t = db.schema.createTable(table);
    return dialect === 'postgres' ? t.addColumn('id', 'serial', (c) => c.primaryKey()) : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  };
  await withId('templates')
    .addColumn('owner_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('folder', 'text')
    .addColumn('shared', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  await withId('snippets')
    .addColumn('owner_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('shortcut', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('folder', 'text')
    .addColumn('shared', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  await sql`create unique index snippets_live_shortcut on snippets (shortcut) where deleted_at is null`.execute(db);
  await db.schema.alterTable('sequence_steps').addColumn('template_id', 'integer').execute();
}
