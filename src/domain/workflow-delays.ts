/**
 * When a "delay until" action lets the contact go on: until a date (a property's value, at a time
 * of day, before or after it) or until the next chosen weekday at a time in a zone. Pure: instants
 * are epoch ms; wall times are read in the zone given, so DST changes keep the clock time.
 */
import { DateTime, IANAZone } from 'luxon';
import { WEEKDAYS, type Weekday } from './glossary.js';
import type { TimeOfDay } from './workflow-windows.js';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
const OFFSET_UNITS: Record<string, number> = { MINUTES: 1, HOURS: 60, DAYS: DAY_MINUTES, WEEKS: 7 * DAY_MINUTES };
/** A longer offset is surely a mistake (HubSpot's own delays stop at a year too). */
const MAX_OFFSET_MINUTES = 366 * DAY_MINUTES;

const isTimeOfDay = (t: unknown): t is TimeOfDay => {
  const x = t as TimeOfDay;
  return typeof t === 'object' && t !== null && Number.isInteger(x.hour) && Number.isInteger(x.minute) && x.hour >= 0 && x.hour <= 23 && x.minute >= 0 && x.minute <= 59;
};

export const isZone = (zone: unknown): zone is string => typeof zone === 'string' && zone !== '' && IANAZone.isValidZone(zone);

/** HubSpot's `0-35` fields: the date, an offset (`delta` in `time_unit`, negative: before) and `time_of_day`. */
export interface DateDelay {
  /** The property whose value is the date, or a fixed date. */
  source: { propertyName: string } | { staticValue: string };
  offsetMinutes: number;
  timeOfDay: TimeOfDay | null;
}

/** The delay of a `0-35` action, or a problem with its fields. */
export function dateDelayOf(fields: Record<string, unknown>): DateDelay | string {
  const date = fields.date as { type?: string; propertyName?: unknown; staticValue?: unknown } | undefined;
  let source: DateDelay['source'];
  if (date && typeof date === 'object' && (date.type === 'OBJECT_PROPERTY' || date.type === undefined) && typeof date.propertyName === 'string' && date.propertyName) {
    source = { propertyName: date.propertyName };
  } else if (date && typeof date === 'object' && date.type === 'STATIC_VALUE' && ['string', 'number'].includes(typeof date.staticValue) && parseDateValue(String(date.staticValue))) {
    source = { staticValue: String(date.staticValue) };
  } else {
    return 'date must be {type: "OBJECT_PROPERTY", propertyName} or {type: "STATIC_VALUE", staticValue} with a date';
  }
  const delta = Number(fields.delta ?? 0);
  const unit = String(fields.time_unit ?? 'DAYS').toUpperCase();
  if (!Number.isFinite(delta) || !Number.isInteger(delta)) return 'delta must be a whole number (negative: before the date)';
  if (!(unit in OFFSET_UNITS)) return `time_unit must be one of ${Object.keys(OFFSET_UNITS).join(', ')}`;
  const offsetMinutes = delta * OFFSET_UNITS[unit];
  if (Math.abs(offsetMinutes) > MAX_OFFSET_MINUTES) return 'the offset may be at most one year';
  if (fields.time_of_day !== undefined && fields.time_of_day !== null && !isTimeOfDay(fields.time_of_day)) return 'time_of_day must be {hour: 0–23, minute: 0–59}';
  return { source, offsetMinutes, timeOfDay: (fields.time_of_day as TimeOfDay | undefined) ?? null };
}

/**
 * A stored value as a calendar date or an instant: YYYY-MM-DD (date properties), ISO-8601
 * (datetime properties), or epoch ms — at UTC midnight a date, as HubSpot sends date values.
 */
export function parseDateValue(value: string): { date: { year: number; month: number; day: number } } | { instant: number } | null {
  const v = value.trim();
  const ymd = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (ymd) {
    const d = DateTime.fromObject({ year: +ymd[1], month: +ymd[2], day: +ymd[3] }, { zone: 'UTC' });
    return d.isValid ? { date: { year: d.year, month: d.month, day: d.day } } : null;
  }
  if (/^-?\d+$/.test(v)) {
    const ms = Number(v);
    if (!Number.isSafeInteger(ms)) return null;
    if (ms % (DAY_MINUTES * MINUTE_MS) === 0) {
      const d = DateTime.fromMillis(ms, { zone: 'UTC' });
      return { date: { year: d.year, month: d.month, day: d.day } };
    }
    return { instant: ms };
  }
  const iso = DateTime.fromISO(v, { setZone: true });
  return iso.isValid ? { instant: iso.toMillis() } : null;
}

/**
 * The instant a date delay ends, or null when the value is no date. A date is the day in `zone`
 * at `timeOfDay` (midnight when none); a datetime is its instant, or with `timeOfDay` that time
 * on its local day. Whole days of the offset move the calendar day (so "5 days before at 09:00"
 * stays 09:00 across a DST change); the rest of it is exact minutes.
 */
export function dateDelayEnd(value: string, d: Pick<DateDelay, 'offsetMinutes' | 'timeOfDay'>, zone: string): number | null {
  const parsed = parseDateValue(value);
  if (!parsed) return null;
  let base: DateTime;
  if ('date' in parsed) {
    base = DateTime.fromObject({ ...parsed.date, hour: d.timeOfDay?.hour ?? 0, minute: d.timeOfDay?.minute ?? 0 }, { zone });
  } else {
    base = DateTime.fromMillis(parsed.instant, { zone });
    if (d.timeOfDay) base = base.set({ hour: d.timeOfDay.hour, minute: d.timeOfDay.minute, second: 0, millisecond: 0 });
  }
  const days = Math.trunc(d.offsetMinutes / DAY_MINUTES);
  const rest = d.offsetMinutes - days * DAY_MINUTES;
  const shifted = days === 0 ? base : wallTime(base.plus({ days }), base, zone);
  return shifted.toMillis() + rest * MINUTE_MS;
}

/** The same wall time on the shifted day (luxon keeps it; this re-reads it after a DST gap). */
const wallTime = (day: DateTime, like: DateTime, zone: string): DateTime =>
  DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: like.hour, minute: like.minute, second: like.second, millisecond: like.millisecond }, { zone });

/** The fields of the "delay until a weekday and time" action. */
export interface WeekdayDelay {
  days: Weekday[];
  timeOfDay: TimeOfDay;
  /** IANA zone; null: the account's. */
  zone: string | null;
}

export function weekdayDelayOf(fields: Record<string, unknown>): WeekdayDelay | string {
  const days = fields.days_of_week;
  if (!Array.isArray(days) || days.length === 0 || !days.every((x) => WEEKDAYS.includes(x as Weekday))) return `days_of_week must list weekdays among ${WEEKDAYS.join(', ')}`;
  if (!isTimeOfDay(fields.time_of_day)) return 'time_of_day must be {hour: 0–23, minute: 0–59}';
  const zone = fields.time_zone ?? null;
  if (zone !== null && zone !== '' && !isZone(zone)) return `time_zone ${JSON.stringify(zone)} is not an IANA time zone such as Europe/Warsaw`;
  return { days: [...new Set(days as Weekday[])], timeOfDay: fields.time_of_day, zone: zone ? String(zone) : null };
}

/**
 * The first instant at or after `now` that is one of the days at the time of day in the zone,
 * e.g. next Tuesday 09:00 Europe/Warsaw. A time the clocks skip that day (DST gap) is read
 * forward by the gap, as luxon and the clock on the wall do.
 */
export function nextWeekdayTime(now: number, d: Pick<WeekdayDelay, 'days' | 'timeOfDay'>, zone: string): number {
  const today = DateTime.fromMillis(now, { zone }).startOf('day');
  for (let i = 0; i <= 7; i++) {
    const day = today.plus({ days: i });
    if (!d.days.includes(WEEKDAYS[day.weekday - 1])) continue;
    const at = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: d.timeOfDay.hour, minute: d.timeOfDay.minute }, { zone }).toMillis();
    if (at >= now) return at;
  }
  return now; // unreachable with at least one weekday: a week always has it
}
