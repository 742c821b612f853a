/**
 * When a sequence step is due (PRODUCT §3.2). Pure: every instant is passed in as epoch
 * milliseconds and every calendar rule is evaluated in the enrollment's IANA zone.
 */
import { DateTime, IANAZone } from 'luxon';
import { WEEKDAYS, type FollowUpDays, type Millis, type SendWindow, type Weekday } from './glossary.js';

export type { SendWindow, Weekday };

export interface ScheduleRules {
  zone: string;
  followUpDays: FollowUpDays;
  window: SendWindow;
  /** Per-weekday windows replacing `window` on those days; null: nothing is sent that day. */
  weekdayWindows?: Partial<Record<Weekday, SendWindow | null>>;
  /** ISO dates 'YYYY-MM-DD' in the zone; used only by BUSINESS_DAYS. */
  holidays?: string[];
}

const DAY_MS = 86_400_000;
const MINUTES_PER_DAY = 1440;
/** Bound on every day-by-day search, so a holiday list covering every day cannot hang us. */
const MAX_SEARCH_DAYS = 400;

interface Day {
  start: number;
  end: number;
}

interface Prepared {
  zone: string;
  followUpDays: FollowUpDays;
  /** The window of each ISO weekday (index 1–7); null: closed that day. */
  windows: (Day | null)[];
  holidays: ReadonlySet<string>;
}

/** IANA's geographic areas, plus Etc; other names (US/Eastern, EST5EDT, GMT) are legacy links. */
const IANA_AREAS = new Set(['Africa', 'America', 'Antarctica', 'Arctic', 'Asia', 'Atlantic', 'Australia', 'Europe', 'Indian', 'Pacific', 'Etc']);
/** IANA's spelling: each word capitalised (New_York, Port-au-Prince, Dar_es_Salaam), or Etc's GMT±n / UTC. */
const IANA_SPELLING = /^[A-Z][a-z]+(?:\/(?:[A-Z][a-z]*(?:[_-][A-Za-z][a-z]*)*|GMT(?:[+-]\d{1,2}|0)?|UTC|UCT))+$/;
const zoneChecks = new Map<string, boolean>();

/**
 * True for a canonical IANA name of the Area/Location form, 'UTC' or Etc/*. Intl (and so luxon)
 * also takes abbreviations ('PST'; 'IST' is India, Israel or Ireland) and any letter case, which
 * IANA does not: 'america/new_york' is not a zone name.
 */
export function isValidZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false;
  if (zone === 'UTC') return true;
  let ok = zoneChecks.get(zone);
  if (ok === undefined) {
    ok = IANA_AREAS.has(zone.split('/')[0]) && zone.includes('/') && IANAZone.isValidZone(zone) && spelledAsIana(zone);
    if (zoneChecks.size < 1000) zoneChecks.set(zone, ok);
  }
  return ok;
}

function spelledAsIana(zone: string): boolean {
  // Intl answers the zone's name in IANA's case (or, for a link it renames, its target's).
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  if (resolved.toLowerCase() === zone.toLowerCase()) return resolved === zone;
  // A link Intl renames (Asia/Kolkata → Asia/Calcutta): check IANA's spelling rules instead.
  return IANA_SPELLING.test(zone);
}

function assertZone(zone: string): void {
  if (!isValidZone(zone)) throw new Error(`Invalid IANA time zone: ${JSON.stringify(zone)}`);
}

function assertInstant(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number of milliseconds, got ${value}`);
}

function prepareWindow(w: SendWindow, what: string): Day {
  const { startMinute, endMinute } = w;
  for (const [name, v] of [['startMinute', startMinute], ['endMinute', endMinute]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > MINUTES_PER_DAY) {
      throw new RangeError(`${what} ${name} must be an integer in [0, 1440], got ${v}`);
    }
  }
  // A wrapping or empty window cannot be expressed as [start, end) within one day; treating it
  // as "always open" never blocks sending, whereas "never open" would stall enrollments forever.
  const wholeDay = startMinute >= endMinute;
  return { start: wholeDay ? 0 : startMinute, end: wholeDay ? MINUTES_PER_DAY : endMinute };
}

function prepare(rules: ScheduleRules): Prepared {
  assertZone(rules.zone);
  const every = prepareWindow(rules.window, 'Send window');
  const windows: (Day | null)[] = [null];
  for (const day of WEEKDAYS) {
    const w = rules.weekdayWindows?.[day];
    windows.push(w === undefined ? every : w === null ? null : prepareWindow(w, `${day} send window`));
  }
  // Every day closed would never send: the window of every day applies instead (validation refuses it first).
  if (windows.every((w, i) => i === 0 || w === null)) windows.fill(every, 1);
  return {
    zone: rules.zone,
    followUpDays: rules.followUpDays,
    windows,
    holidays: new Set(rules.holidays ?? []),
  };
}

function local(t: Millis, zone: string): DateTime {
  return DateTime.fromMillis(t, { zone });
}

function minuteOfDay(dt: DateTime): number {
  return dt.hour * 60 + dt.minute;
}

const windowOf = (dt: DateTime, p: Prepared): Day | null => p.windows[dt.weekday];

function inWindow(dt: DateTime, p: Prepared): boolean {
  const w = windowOf(dt, p);
  const m = minuteOfDay(dt);
  return w !== null && m >= w.start && m < w.end;
}

function eligible(dt: DateTime, p: Prepared): boolean {
  switch (p.followUpDays) {
    case 'EVERYDAY':
      return true;
    case 'WEEKDAYS_ONLY':
      return dt.weekday <= 5;
    case 'BUSINESS_DAYS':
      return dt.weekday <= 5 && !p.holidays.has(dt.toISODate() ?? '');
    default: {
      const never: never = p.followUpDays;
      throw new Error(`Unknown followUpDays: ${String(never)}`);
    }
  }
}

/** Noon never falls in a DST gap, so stepping days from it always lands on the intended date. */
function dayAnchor(dt: DateTime, k: number): DateTime {
  return dt.set({ hour: 12, minute: 0, second: 0, millisecond: 0 }).plus({ days: k });
}

/**
 * The earliest instant on `day`'s date whose local time is >= the window start and inside the
 * window, or null when the whole window lies in a DST gap that day.
 */
function windowOpening(day: DateTime, p: Prepared): DateTime | null {
  const w = windowOf(day, p);
  if (!w) return null;
  const date = day.toISODate();
  let c = day.set({ hour: Math.floor(w.start / 60), minute: w.start % 60, second: 0, millisecond: 0 });
  if (minuteOfDay(c) !== w.start || c.toISODate() !== date) {
    // In a DST gap luxon pushes the wall time forward by the gap's length (02:30 → 03:30);
    // the earliest valid instant is the transition itself, so walk back to it.
    for (let i = 0; i < MINUTES_PER_DAY; i++) {
      const prev = c.minus({ minutes: 1 });
      const prevDate = prev.toISODate() ?? '';
      if (prevDate < (date ?? '') || (prevDate === date && minuteOfDay(prev) < w.start)) break;
      c = prev;
    }
  }
  return c.toISODate() === date && inWindow(c, p) ? c : null;
}

function noSlotError(what: string, t: Millis, p: Prepared): Error {
  return new Error(
    `No ${what} within ${MAX_SEARCH_DAYS} days after ${local(t, p.zone).toISO()} ` +
      `(zone ${p.zone}, followUpDays ${p.followUpDays}, ${p.holidays.size} holidays); check the holiday list`,
  );
}

function nextSendable(t: Millis, p: Prepared, eligibleDaysOnly: boolean): Millis {
  const dt = local(t, p.zone);
  for (let k = 0; k < MAX_SEARCH_DAYS; k++) {
    const day = k === 0 ? dt : dayAnchor(dt, k);
    if (eligibleDaysOnly && !eligible(day, p)) continue;
    if (k === 0) {
      if (inWindow(dt, p)) return t;
      const w = windowOf(dt, p);
      if (!w || minuteOfDay(dt) >= w.end) continue;
      const opening = windowOpening(dt, p);
      if (opening && opening.toMillis() >= t) return opening.toMillis();
      // t is in the repeated hour after a fall-back and luxon resolved the opening to the first
      // occurrence; no further transition today, so the opening is plain minutes away.
      const later = local(t + ((w.start - minuteOfDay(dt)) * 60 - dt.second) * 1000 - dt.millisecond, p.zone);
      if (later.toISODate() === dt.toISODate() && inWindow(later, p)) return later.toMillis();
      continue;
    }
    const opening = windowOpening(day, p);
    if (opening) return opening.toMillis();
  }
  throw noSlotError(eligibleDaysOnly ? 'send-window opening on an eligible day' : 'send-window opening', t, p);
}

/** Adds a delay: whole days as calendar days in the zone (so local clock time is kept across DST), the remainder as plain milliseconds. */
export function addDelay(from: Millis, delayMillis: Millis, zone: string): Millis {
  assertInstant('from', from);
  assertInstant('delayMillis', delayMillis);
  assertZone(zone);
  const days = Math.trunc(delayMillis / DAY_MS);
  const rest = delayMillis - days * DAY_MS;
  return local(from, zone).plus({ days }).toMillis() + rest;
}

/** Step 0: enrolledAt + delay; if outside the send window (emails only), moved to the next window opening on ANY day of the week (a first email may go on a weekend). */
export function firstStepDue(enrolledAt: Millis, delayMillis: Millis, rules: ScheduleRules, isEmail: boolean): Millis {
  const p = prepare(rules);
  const due = addDelay(enrolledAt, delayMillis, p.zone);
  return isEmail ? nextSendable(due, p, false) : due;
}

/** Step n>0: previous step's completion + delay; if that day is not an eligible follow-up day, moved to the next eligible day at the same local time; then, for emails, a time outside the window moves to the next window opening that is on an eligible day. */
export function followUpDue(previousCompletedAt: Millis, delayMillis: Millis, rules: ScheduleRules, isEmail: boolean): Millis {
  const p = prepare(rules);
  const due = addDelay(previousCompletedAt, delayMillis, p.zone);
  const base = local(due, p.zone);
  for (let k = 0; k < MAX_SEARCH_DAYS; k++) {
    // Always step from the original wall time so a DST shift on one skipped day does not stick.
    const candidate = k === 0 ? base : base.plus({ days: k });
    if (!eligible(candidate, p)) continue;
    const at = candidate.toMillis();
    return isEmail ? nextSendable(at, p, true) : at;
  }
  throw noSlotError('eligible follow-up day', due, p);
}

/** The earliest instant >= t at which an email may go: inside the window, and (when eligibleDaysOnly) on an eligible day. Used when a send is deferred by a send limit. */
export function nextSendableAt(t: Millis, rules: ScheduleRules, eligibleDaysOnly: boolean): Millis {
  assertInstant('t', t);
  return nextSendable(t, prepare(rules), eligibleDaysOnly);
}

export function isEligibleDay(t: Millis, rules: ScheduleRules): boolean {
  assertInstant('t', t);
  const p = prepare(rules);
  return eligible(local(t, p.zone), p);
}
