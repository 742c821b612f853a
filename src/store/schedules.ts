import type { Selectable } from 'kysely';
import type { FollowUpDays, HolidayCalendar, Schedule } from '../domain/glossary.js';
import type { Db } from './database.js';
import { fromJson, toJson } from './json.js';
import type { SchedulesTable } from './schema.js';

export type ScheduleFields = Omit<Schedule, 'id' | 'createdAt' | 'updatedAt'>;

const toSchedule = (r: Selectable<SchedulesTable>): Schedule => ({
  id: r.id,
  name: r.name,
  sendWindowStartMinute: r.send_window_start_minute,
  sendWindowEndMinute: r.send_window_end_minute,
  sendWindowsByWeekday: fromJson(r.send_windows_by_weekday, {}),
  eligibleFollowUpDays: r.eligible_follow_up_days as FollowUpDays,
  holidayCalendar: r.holiday_calendar as HolidayCalendar,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const columns = (s: ScheduleFields) => ({
  name: s.name,
  send_window_start_minute: s.sendWindowStartMinute,
  send_window_end_minute: s.sendWindowEndMinute,
  send_windows_by_weekday: toJson(s.sendWindowsByWeekday),
  eligible_follow_up_days: s.eligibleFollowUpDays,
  holiday_calendar: s.holidayCalendar,
});

/** Schedules in id order after a cursor. */
export async function listSchedules(db: Db, f: { after: number; limit: number }): Promise<Schedule[]> {
  return (await db.selectFrom('schedules').selectAll().where('id', '>', f.after).orderBy('id').limit(f.limit).execute()).map(toSchedule);
}

export async function getSchedule(db: Db, id: number): Promise<Schedule | null> {
  const r = await db.selectFrom('schedules').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toSchedule(r) : null;
}

export async function insertSchedule(db: Db, s: ScheduleFields, now: number): Promise<Schedule> {
  return toSchedule(await db.insertInto('schedules').values({ ...columns(s), created_at: now, updated_at: now }).returningAll().executeTakeFirstOrThrow());
}

export async function updateSchedule(db: Db, id: number, s: ScheduleFields, now: number): Promise<Schedule> {
  return toSchedule(await db.updateTable('schedules').set({ ...columns(s), updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow());
}

export async function deleteSchedule(db: Db, id: number): Promise<void> {
  await db.deleteFrom('schedules').where('id', '=', id).execute();
}

/** The live sequences whose settings name this schedule, in id order. */
export async function sequencesOnSchedule(db: Db, scheduleId: number): Promise<{ id: number; name: string }[]> {
  // The reference lives in the settings JSON; sequences are few, so they are read and filtered here.
  const rows = await db.selectFrom('sequences').select(['id', 'name', 'settings']).where('deleted_at', 'is', null).orderBy('id').execute();
  return rows.filter((r) => fromJson<{ scheduleId?: number | null }>(r.settings, {}).scheduleId === scheduleId).map((r) => ({ id: r.id, name: r.name }));
}
