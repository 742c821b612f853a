/**
 * Holiday calendars (issue #14): the account's, and each sender's own days off, which
 * BUSINESS_DAYS sequences skip as they skip weekends. National calendars are imported from
 * date-holidays (public and bank holidays of a country or region, for a year).
 */
import type HolidaysLib from 'date-holidays';
import { DateTime } from 'luxon';
import * as store from '../store/holidays.js';
import type { Deps } from './deps.js';
import { errors, fieldError } from './errors.js';
import { requireUser } from './users.js';

/** date-holidays holds every country's rules (~8 MB of heap): loaded on the first import, not at start. */
const holidaysLib = async (): Promise<typeof HolidaysLib> => (await import('date-holidays')).default;

/** Kinds of day date-holidays lists that close offices; observances and optional days do not. */
const DAYS_OFF = new Set(['public', 'bank']);

export type Calendar = { userId: number | null };
export type { Holiday } from '../store/holidays.js';

async function checkCalendar(deps: Deps, c: Calendar): Promise<void> {
  if (c.userId !== null) await requireUser(deps, c.userId);
}

export async function listHolidays(deps: Deps, c: Calendar & { from?: string; to?: string }): Promise<store.Holiday[]> {
  await checkCalendar(deps, c);
  return store.listHolidays(deps.db.kysely, c);
}

export async function addHolidays(deps: Deps, c: Calendar, days: { date: string; name: string }[]): Promise<{ added: number; holidays: store.Holiday[] }> {
  await checkCalendar(deps, c);
  days.forEach((d, i) => {
    if (!DateTime.fromISO(d.date, { zone: 'UTC' }).isValid) throw fieldError(`holidays[${i}].date`, `${d.date} is not a calendar date (YYYY-MM-DD).`, 'INVALID_DATE');
  });
  const added = await deps.db.transaction((tx) => store.addHolidays(tx, c.userId, days, 'manual', deps.clock.now()));
  return { added, holidays: await store.listHolidays(deps.db.kysely, c) };
}

/** The days off of a country (ISO 3166 code) or region ('DE-BY', 'US-CA') in a year, added to a calendar. */
export async function importHolidays(deps: Deps, c: Calendar, o: { country: string; year: number }): Promise<{ added: number; holidays: store.Holiday[] }> {
  await checkCalendar(deps, c);
  const [country, region] = o.country.toUpperCase().split('-');
  const Holidays = await holidaysLib();
  const known = new Holidays().getCountries('en');
  if (!known[country]) throw fieldError('country', `${o.country} is not a country date-holidays knows (ISO 3166 code such as PL, US, DE-BY).`, 'UNKNOWN_COUNTRY');
  if (region && !new Holidays().getStates(country, 'en')?.[region]) throw fieldError('country', `${country} has no region ${region}.`, 'UNKNOWN_COUNTRY');
  const h = region ? new Holidays(country, region) : new Holidays(country);
  const days = new Map<string, string>();
  for (const d of h.getHolidays(o.year, 'en') || []) {
    if (!DAYS_OFF.has(d.type)) continue;
    const date = d.date.slice(0, 10);
    // A day that is two holidays at once is one day off.
    days.set(date, days.has(date) ? `${days.get(date)}; ${d.name}` : d.name);
  }
  const source = `import:${region ? `${country}-${region}` : country}`;
  const list = [...days].map(([date, name]) => ({ date, name }));
  const added = await deps.db.transaction((tx) => store.addHolidays(tx, c.userId, list, source, deps.clock.now()));
  return { added, holidays: await store.listHolidays(deps.db.kysely, { userId: c.userId, from: `${o.year}-01-01`, to: `${o.year}-12-31` }) };
}

/** The countries date-holidays knows, by ISO 3166 code. */
export async function holidayCountries(): Promise<Record<string, string>> {
  const Holidays = await holidaysLib();
  return new Holidays().getCountries('en');
}

export async function removeHoliday(deps: Deps, id: number): Promise<void> {
  const gone = await store.deleteHoliday(deps.db.kysely, id);
  if (!gone) throw errors.holidayNotFound({ id });
}
