import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Holidays (issue #14): days BUSINESS_DAYS sequences send nothing on, for the whole account
 * (user_id null) or for one sender. A date is a calendar date ('YYYY-MM-DD') read in each
 * enrollment's zone, as weekends are. One row per day per calendar.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = db.schema.createTable('holidays');
  await (dialect === 'postgres' ? t.addColumn('id', 'serial', (c) => c.primaryKey()) : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`create unique index holidays_account_day on holidays (date) where user_id is null`.execute(db);
  await sql`create unique index holidays_user_day on holidays (user_id, date) where user_id is not null`.execute(db);
}
