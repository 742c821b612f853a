import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Named schedules (issue #14 item 4): send windows, follow-up days and a holiday calendar that
 * several sequences share by naming one in their settings (settings.scheduleId, in the settings
 * JSON: no column). Minutes are local to each enrollment's zone. A schedule in use cannot be
 * removed, so a removed one's row goes.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = db.schema.createTable('schedules');
  await (dialect === 'postgres' ? t.addColumn('id', 'serial', (c) => c.primaryKey()) : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('send_window_start_minute', 'integer', (c) => c.notNull())
    .addColumn('send_window_end_minute', 'integer', (c) => c.notNull())
    .addColumn('send_windows_by_weekday', 'text', (c) => c.notNull())
    .addColumn('eligible_follow_up_days', 'text', (c) => c.notNull())
    .addColumn('holiday_calendar', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
