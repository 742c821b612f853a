import type { HolidayCalendar } from '../domain/glossary.js';
import type { Db } from './database.js';

export interface Holiday {
  id: number;
  /** null: the account's calendar. */
  userId: number | null;
  date: string;
  name: string;
  source: string;
}

const toHoliday = (r: { id: number; user_id: number | null; date: string; name: string; source: string }): Holiday => ({
  id: r.id,
  userId: r.user_id,
  date: r.date,
  name: r.name,
  source: r.source,
});

/** The calendar's days in date order: the account's (userId null) or one sender's own. */
export async function listHolidays(db: Db, f: { userId: number | null; from?: string; to?: string }): Promise<Holiday[]> {
  let q = db.selectFrom('holidays').selectAll();
  q = f.userId === null ? q.where('user_id', 'is', null) : q.where('user_id', '=', f.userId);
  if (f.from) q = q.where('date', '>=', f.from);
  if (f.to) q = q.where('date', '<=', f.to);
  return (await q.orderBy('date').execute()).map(toHoliday);
}

/** Adds days to a calendar; a day it already has keeps its row. Returns how many were new. */
export async function addHolidays(db: Db, userId: number | null, days: { date: string; name: string }[], source: string, now: number): Promise<number> {
  let added = 0;
  for (const d of days) {
    const exists = await (userId === null ? db.selectFrom('holidays').select('id').where('user_id', 'is', null) : db.selectFrom('holidays').select('id').where('user_id', '=', userId))
      .where('date', '=', d.date)
      .executeTakeFirst();
    if (exists) continue;
    await db.insertInto('holidays').values({ user_id: userId, date: d.date, name: d.name, source, created_at: now }).execute();
    added++;
  }
  return added;
}

export async function deleteHoliday(db: Db, id: number): Promise<Holiday | null> {
  const row = await db.selectFrom('holidays').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  await db.deleteFrom('holidays').where('id', '=', id).execute();
  return toHoliday(row);
}

/** The dates a sender sends nothing on under BUSINESS_DAYS: the account's calendar and their own. */
export async function holidayDatesOf(db: Db, userId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('holidays')
    .select('date')
    .where((eb) => eb.or([eb('user_id', 'is', null), eb('user_id', '=', userId)]))
    .execute();
  return rows.map((r) => r.date);
}

/** The dates of the chosen calendars (a named schedule's choice, src/domain/glossary.ts HolidayCalendar). */
export async function holidayDatesFrom(db: Db, userId: number, calendar: HolidayCalendar): Promise<string[]> {
  if (calendar === 'ACCOUNT_AND_SENDER') return holidayDatesOf(db, userId);
  const q = db.selectFrom('holidays').select('date');
  return (await (calendar === 'ACCOUNT' ? q.where('user_id', 'is', null) : q.where('user_id', '=', userId)).execute()).map((r) => r.date);
}
