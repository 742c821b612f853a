/**
 * When a workflow may run its actions: HubSpot's flow `timeWindows` (weekday, start and end
 * time) and `blockedDates` (whole days), in the account's zone. Pure: instants are epoch ms.
 */
import { DateTime } from 'luxon';
import { WEEKDAYS, type Weekday } from './glossary.js';

export const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;
export type Month = (typeof MONTHS)[number];

export interface TimeOfDay {
  hour: number;
  minute: number;
}
/** A weekday's hours; no start: from midnight, no end: to midnight (HubSpot's shape). */
export interface FlowTimeWindow {
  day: Weekday;
  startTime?: TimeOfDay;
  endTime?: TimeOfDay;
}
/** A local calendar day on which no action runs. */
export interface FlowBlockedDate {
  dayOfMonth: number;
  month: Month;
  year: number;
}
export interface FlowTiming {
  timeWindows?: readonly unknown[];
  blockedDates?: readonly unknown[];
}

const MINUTE_MS = 60_000;
const MINUTES_PER_DAY = 1440;
/** Bound on the day-by-day search, so a long run of blocked dates cannot hang the engine. */
const MAX_SEARCH_DAYS = 800;

export const minuteOfDay = (t: TimeOfDay | undefined, otherwise: number): number => (t ? t.hour * 60 + t.minute : otherwise);

/** Why a window is not one HubSpot would keep, or null. */
export function timeWindowProblem(w: FlowTimeWindow): string | null {
  const start = minuteOfDay(w.startTime, 0);
  const end = minuteOfDay(w.endTime, MINUTES_PER_DAY);
  if (end > MINUTES_PER_DAY) return 'endTime is at most 24:00';
  return end <= start ? 'endTime must be after startTime' : null;
}

interface Prepared {
  zone: string;
  /** Minute ranges [start, end) of each ISO weekday (index 1–7). */
  byWeekday: [number, number][][];
  blocked: ReadonlySet<string>;
}

const isTime = (t: unknown): t is TimeOfDay =>
  typeof t === 'object' && t !== null && Number.isInteger((t as TimeOfDay).hour) && Number.isInteger((t as TimeOfDay).minute);

const isWindow = (w: unknown): w is FlowTimeWindow => {
  const x = w as FlowTimeWindow;
  return typeof w === 'object' && w !== null && WEEKDAYS.includes(x.day) && [x.startTime, x.endTime].every((t) => t === undefined || isTime(t)) && timeWindowProblem(x) === null;
};

/** Stored definitions predate validation: entries that are not well formed are ignored. */
function prepare(timing: FlowTiming, zone: string): Prepared {
  const windows = (timing.timeWindows ?? []).filter(isWindow);
  const byWeekday: [number, number][][] = Array.from({ length: 8 }, () => []);
  for (let d = 1; d <= 7; d++) {
    const mine = windows.length === 0 ? [[0, MINUTES_PER_DAY] as [number, number]] : windows.filter((w) => WEEKDAYS.indexOf(w.day) + 1 === d).map((w): [number, number] => [minuteOfDay(w.startTime, 0), minuteOfDay(w.endTime, MINUTES_PER_DAY)]);
    byWeekday[d] = mine.sort((a, b) => a[0] - b[0]);
  }
  const blocked = new Set<string>();
  for (const b of timing.blockedDates ?? []) {
    const d = b as FlowBlockedDate;
    if (typeof d === 'object' && d !== null && MONTHS.includes(d.month) && Number.isInteger(d.dayOfMonth) && Number.isInteger(d.year)) blocked.add(`${d.year}-${MONTHS.indexOf(d.month) + 1}-${d.dayOfMonth}`);
  }
  return { zone, byWeekday, blocked };
}

const dayKey = (d: DateTime): string => `${d.year}-${d.month}-${d.day}`;

/** The first instant on `day` whose wall clock reads `minute` or later (a DST gap opens at its end). */
function atWallMinute(day: DateTime, minute: number, zone: string): number {
  if (minute >= MINUTES_PER_DAY) return day.plus({ days: 1 }).startOf('day').toMillis();
  const want = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: Math.floor(minute / 60), minute: minute % 60 }, { zone });
  let t = want.toMillis();
  if (want.hour * 60 + want.minute === minute && want.day === day.day) return t;
  // The wall time does not exist (clocks jumped past it): step back to the jump.
  const wall = (ms: number) => DateTime.fromMillis(ms, { zone });
  for (let i = 0; i < 180; i++) {
    const before = wall(t - MINUTE_MS);
    if (before.day !== day.day || before.hour * 60 + before.minute < minute) break;
    t -= MINUTE_MS;
  }
  return t;
}

/** May an action run at `t`: not on a blocked local date, and inside a window of its weekday? */
export function isAllowedAt(t: number, timing: FlowTiming, zone: string): boolean {
  return allowed(t, prepare(timing, zone));
}

function allowed(t: number, p: Prepared): boolean {
  const local = DateTime.fromMillis(t, { zone: p.zone });
  if (p.blocked.has(dayKey(local))) return false;
  const m = local.hour * 60 + local.minute;
  return p.byWeekday[local.weekday].some(([s, e]) => s <= m && m < e);
}

/**
 * The first instant at or after `t` at which an action may run: `t` itself when allowed, else the
 * start of the next window on a day that is not blocked. Never earlier than `t`, so a delay that
 * ends outside the windows waits and is never shortened.
 */
export function nextAllowedInstant(t: number, timing: FlowTiming, zone: string): number {
  const hasRules = (timing.timeWindows?.length ?? 0) > 0 || (timing.blockedDates?.length ?? 0) > 0;
  if (!hasRules) return t;
  const p = prepare(timing, zone);
  if (allowed(t, p)) return t;
  const first = DateTime.fromMillis(t, { zone }).startOf('day');
  for (let d = 0; d < MAX_SEARCH_DAYS; d++) {
    const day = first.plus({ days: d });
    if (p.blocked.has(dayKey(day))) continue;
    for (const [start] of p.byWeekday[day.weekday]) {
      const at = atWallMinute(day, start, zone);
      if (at > t) return at;
    }
  }
  // Every day for two years is blocked: run rather than hold the contact forever.
  return t;
}
