import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { FollowUpDays } from './glossary.js';
import {
  addDelay,
  firstStepDue,
  followUpDue,
  isEligibleDay,
  isValidZone,
  nextSendableAt,
  type ScheduleRules,
} from './schedule.js';

const DAY = 86_400_000;
const NY = 'America/New_York';
const WAW = 'Europe/Warsaw';

/** Local wall time in `zone` → epoch ms. */
const at = (isoLocal: string, zone: string): number => {
  const dt = DateTime.fromISO(isoLocal, { zone });
  if (!dt.isValid) throw new Error(`bad test time ${isoLocal}`);
  return dt.toMillis();
};
/** Epoch ms → local ISO with offset, to the minute, e.g. 2026-03-09T17:00-04:00. */
const iso = (t: number, zone: string): string => DateTime.fromMillis(t, { zone }).toFormat("yyyy-MM-dd'T'HH:mmZZ");

const rules = (zone: string, followUpDays: FollowUpDays, extra: Partial<ScheduleRules> = {}): ScheduleRules => ({
  zone,
  followUpDays,
  window: { startMinute: 480, endMinute: 1080 },
  ...extra,
});

describe('PRODUCT §3.2 worked example (3-day delays, WEEKDAYS_ONLY, window 08:00–18:00)', () => {
  it('should keep local 17:00 on every step when the sequence crosses the start of DST in New York', () => {
    const r = rules(NY, 'WEEKDAYS_ONLY');
    const step0 = firstStepDue(at('2026-03-02T17:00', NY), 0, r, true); // Monday
    expect(iso(step0, NY)).toBe('2026-03-02T17:00-05:00');
    const step1 = followUpDue(step0, 3 * DAY, r, true);
    expect(iso(step1, NY)).toBe('2026-03-05T17:00-05:00'); // Thursday
    const step2 = followUpDue(step1, 3 * DAY, r, true); // Sunday 2026-03-08 (DST starts) → Monday
    expect(iso(step2, NY)).toBe('2026-03-09T17:00-04:00');
    // A naive 6×24h would have drifted to 18:00 local, outside the window.
    expect(iso(step1 + 4 * DAY, NY)).toBe('2026-03-09T18:00-04:00');
  });

  it('should keep local 17:00 on every step when the sequence crosses the end of DST in Warsaw', () => {
    const r = rules(WAW, 'WEEKDAYS_ONLY');
    const step0 = firstStepDue(at('2026-10-19T17:00', WAW), 0, r, true); // Monday
    expect(iso(step0, WAW)).toBe('2026-10-19T17:00+02:00');
    const step1 = followUpDue(step0, 3 * DAY, r, true);
    expect(iso(step1, WAW)).toBe('2026-10-22T17:00+02:00'); // Thursday
    const step2 = followUpDue(step1, 3 * DAY, r, true); // Sunday 2026-10-25 (DST ends) → Monday
    expect(iso(step2, WAW)).toBe('2026-10-26T17:00+01:00');
  });

  it('should give the Sunday due time when the step is a task that is not moved by the window', () => {
    const r = rules(NY, 'EVERYDAY');
    const due = followUpDue(at('2026-03-05T17:00', NY), 3 * DAY, r, false);
    expect(iso(due, NY)).toBe('2026-03-08T17:00-04:00');
  });
});

describe('firstStepDue', () => {
  it('should send the first email on Sunday 08:00 when enrolled Saturday 20:00 even with WEEKDAYS_ONLY', () => {
    const due = firstStepDue(at('2026-05-16T20:00', WAW), 0, rules(WAW, 'WEEKDAYS_ONLY'), true);
    expect(iso(due, WAW)).toBe('2026-05-17T08:00+02:00');
  });

  it('should send the first email at the same day opening when enrolled before the window', () => {
    const due = firstStepDue(at('2026-05-18T06:15', WAW), 0, rules(WAW, 'WEEKDAYS_ONLY'), true);
    expect(iso(due, WAW)).toBe('2026-05-18T08:00+02:00');
  });

  it('should keep the exact time when enrolled inside the window', () => {
    const due = firstStepDue(at('2026-05-18T09:41', WAW), 0, rules(WAW, 'WEEKDAYS_ONLY'), true);
    expect(iso(due, WAW)).toBe('2026-05-18T09:41+02:00');
  });

  it('should not move a first task when it falls outside the window', () => {
    const due = firstStepDue(at('2026-05-16T20:00', WAW), 30 * 60_000, rules(WAW, 'WEEKDAYS_ONLY'), false);
    expect(iso(due, WAW)).toBe('2026-05-16T20:30+02:00');
  });
});

describe('followUpDue', () => {
  it('should go Monday 08:00 when a WEEKDAYS_ONLY follow-up would land Friday 19:00', () => {
    const due = followUpDue(at('2026-05-12T19:00', WAW), 3 * DAY, rules(WAW, 'WEEKDAYS_ONLY'), true);
    expect(iso(due, WAW)).toBe('2026-05-18T08:00+02:00');
  });

  it('should keep Saturday when follow-up days are EVERYDAY', () => {
    const due = followUpDue(at('2026-05-14T17:00', WAW), 2 * DAY, rules(WAW, 'EVERYDAY'), true);
    expect(iso(due, WAW)).toBe('2026-05-16T17:00+02:00');
  });

  it('should skip a holiday when follow-up days are BUSINESS_DAYS', () => {
    const r = rules(WAW, 'BUSINESS_DAYS', { holidays: ['2026-11-11'] }); // Wednesday
    const due = followUpDue(at('2026-11-09T10:00', WAW), 2 * DAY, r, true);
    expect(iso(due, WAW)).toBe('2026-11-12T10:00+01:00');
  });

  it('should ignore holidays when follow-up days are WEEKDAYS_ONLY', () => {
    const r = rules(WAW, 'WEEKDAYS_ONLY', { holidays: ['2026-11-11'] });
    const due = followUpDue(at('2026-11-09T10:00', WAW), 2 * DAY, r, true);
    expect(iso(due, WAW)).toBe('2026-11-11T10:00+01:00');
  });

  it('should skip a Friday holiday and the weekend when follow-up days are BUSINESS_DAYS', () => {
    const r = rules(NY, 'BUSINESS_DAYS', { holidays: ['2026-07-03'] });
    const due = followUpDue(at('2026-07-01T10:00', NY), 2 * DAY, r, true); // Fri 10:00 → Mon 10:00
    expect(iso(due, NY)).toBe('2026-07-06T10:00-04:00');
  });

  it('should move the day first and then the window when a skipped day lands after the window closes', () => {
    // §3.2 order: Fri (holiday) 19:30 → Mon 19:30 (same local time) → after the window → Tue 08:00.
    const r = rules(NY, 'BUSINESS_DAYS', { holidays: ['2026-07-03'] });
    const due = followUpDue(at('2026-07-01T19:30', NY), 2 * DAY, r, true);
    expect(iso(due, NY)).toBe('2026-07-07T08:00-04:00');
  });

  it('should add the sub-day remainder as plain time when the delay is not whole days', () => {
    const due = followUpDue(at('2026-05-18T09:00', WAW), DAY + 90 * 60_000, rules(WAW, 'WEEKDAYS_ONLY'), true);
    expect(iso(due, WAW)).toBe('2026-05-19T10:30+02:00');
  });

  it('should throw a clear error when holidays cover every day for BUSINESS_DAYS', () => {
    const start = DateTime.fromISO('2026-01-01', { zone: WAW });
    const holidays = Array.from({ length: 800 }, (_, i) => start.plus({ days: i }).toISODate() as string);
    const r = rules(WAW, 'BUSINESS_DAYS', { holidays });
    expect(() => followUpDue(at('2026-01-05T10:00', WAW), DAY, r, true)).toThrow(/within 400 days/);
    expect(() => followUpDue(at('2026-01-05T10:00', WAW), DAY, r, false)).toThrow(/eligible follow-up day/);
    expect(() => nextSendableAt(at('2026-01-05T10:00', WAW), r, true)).toThrow(/holiday list/);
  });
});

describe('send window edges', () => {
  const late = (zone: string): ScheduleRules =>
    rules(zone, 'WEEKDAYS_ONLY', { window: { startMinute: 1200, endMinute: 1440 } });

  it('should accept 23:59 when the window ends at 1440', () => {
    const due = followUpDue(at('2026-05-18T23:59', WAW), 0, late(WAW), true);
    expect(iso(due, WAW)).toBe('2026-05-18T23:59+02:00');
  });

  it('should move to the evening opening when the window ends at 1440 and the time is midnight', () => {
    const due = followUpDue(at('2026-05-18T00:00', WAW), 0, late(WAW), true);
    expect(iso(due, WAW)).toBe('2026-05-18T20:00+02:00');
  });

  it('should treat the window as the whole day when startMinute >= endMinute', () => {
    const r = rules(WAW, 'WEEKDAYS_ONLY', { window: { startMinute: 1320, endMinute: 360 } });
    expect(iso(followUpDue(at('2026-05-18T12:34', WAW), 0, r, true), WAW)).toBe('2026-05-18T12:34+02:00');
    expect(iso(followUpDue(at('2026-05-16T03:00', WAW), 0, r, true), WAW)).toBe('2026-05-18T03:00+02:00');
    expect(iso(nextSendableAt(at('2026-05-16T03:00', WAW), r, true), WAW)).toBe('2026-05-18T00:00+02:00');
  });

  it('should open at the DST transition when the window opening falls in the spring-forward gap', () => {
    const r = rules(NY, 'EVERYDAY', { window: { startMinute: 150, endMinute: 600 } }); // 02:30–10:00
    const due = nextSendableAt(at('2026-03-08T00:10', NY), r, false);
    expect(iso(due, NY)).toBe('2026-03-08T03:00-04:00');
  });

  it('should skip the day when the whole window lies in the spring-forward gap', () => {
    const r = rules(NY, 'EVERYDAY', { window: { startMinute: 130, endMinute: 170 } }); // 02:10–02:50
    const due = nextSendableAt(at('2026-03-08T00:10', NY), r, false);
    expect(iso(due, NY)).toBe('2026-03-09T02:10-04:00');
  });

  it('should wait for the second 01:20 when deferred inside the repeated fall-back hour', () => {
    const r = rules(NY, 'EVERYDAY', { window: { startMinute: 80, endMinute: 600 } }); // 01:20–10:00
    const t = at('2026-11-01T01:10-05:00', NY); // second occurrence of 01:10
    expect(iso(nextSendableAt(t, r, false), NY)).toBe('2026-11-01T01:20-05:00');
  });

  it('should reject a window outside [0, 1440]', () => {
    const r = rules(WAW, 'EVERYDAY', { window: { startMinute: 480, endMinute: 1441 } });
    expect(() => nextSendableAt(0, r, false)).toThrow(RangeError);
  });
});

describe('nextSendableAt (deferral by a send limit)', () => {
  const r = rules(NY, 'WEEKDAYS_ONLY');

  it('should return the same instant when the deferred time is inside the window on an eligible day', () => {
    const t = at('2026-03-13T17:59', NY);
    expect(nextSendableAt(t, r, true)).toBe(t);
  });

  it('should defer to Monday 08:00 when the limit frees up at Friday 18:00 and only eligible days count', () => {
    expect(iso(nextSendableAt(at('2026-03-13T18:00', NY), r, true), NY)).toBe('2026-03-16T08:00-04:00');
  });

  it('should defer to Saturday 08:00 when the limit frees up at Friday 18:00 and any day may be used', () => {
    expect(iso(nextSendableAt(at('2026-03-13T18:00', NY), r, false), NY)).toBe('2026-03-14T08:00-04:00');
  });

  it('should defer to the same day opening when the limit frees up before the window', () => {
    expect(iso(nextSendableAt(at('2026-03-12T05:30', NY), r, true), NY)).toBe('2026-03-12T08:00-04:00');
  });
});

describe('addDelay, isEligibleDay, isValidZone', () => {
  it('should keep the local clock time when whole days cross a DST change', () => {
    expect(iso(addDelay(at('2026-03-07T09:00', NY), DAY, NY), NY)).toBe('2026-03-08T09:00-04:00');
    expect(iso(addDelay(at('2026-10-24T09:00', WAW), 2 * DAY + 60_000, WAW), WAW)).toBe('2026-10-26T09:01+01:00');
  });

  it('should add plain milliseconds when the delay is shorter than a day across a DST change', () => {
    expect(iso(addDelay(at('2026-03-08T01:30', NY), 60 * 60_000, NY), NY)).toBe('2026-03-08T03:30-04:00');
  });

  it('should judge the day in the rules zone when the same instant is a different date elsewhere', () => {
    const t = at('2026-05-15T23:30', NY); // Friday in New York, Saturday in Warsaw
    expect(isEligibleDay(t, rules(NY, 'WEEKDAYS_ONLY'))).toBe(true);
    expect(isEligibleDay(t, rules(WAW, 'WEEKDAYS_ONLY'))).toBe(false);
    expect(isEligibleDay(t, rules(NY, 'BUSINESS_DAYS', { holidays: ['2026-05-15'] }))).toBe(false);
  });

  it('should accept IANA zones and reject unknown ones when validating zones', () => {
    expect(isValidZone('Europe/Warsaw')).toBe(true);
    expect(isValidZone('UTC')).toBe(true);
    expect(isValidZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidZone('')).toBe(false);
    expect(() => addDelay(0, DAY, 'Mars/Olympus_Mons')).toThrow(/Invalid IANA time zone/);
  });
});

describe('followUpDue property', () => {
  const zones = [NY, WAW, 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Santiago', 'UTC', 'Pacific/Chatham'];
  const holidays = ['2026-01-01', '2026-03-09', '2026-04-06', '2026-10-26', '2026-11-02', '2026-12-25'];

  it('should land inside the window, on an eligible day, and no earlier than completion + delay − 1h when the step is an email', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: at('2025-12-01T00:00', 'UTC'), max: at('2027-01-31T00:00', 'UTC') }),
        fc.constantFrom(...zones),
        fc.constantFrom<FollowUpDays>('EVERYDAY', 'WEEKDAYS_ONLY', 'BUSINESS_DAYS'),
        fc.integer({ min: 0, max: 10 * DAY }),
        fc.integer({ min: 0, max: 1439 }),
        fc.integer({ min: 1, max: 1440 }),
        (prev, zone, followUpDays, delay, startMinute, endMinute) => {
          const r: ScheduleRules = { zone, followUpDays, window: { startMinute, endMinute }, holidays };
          const due = followUpDue(prev, delay, r, true);
          const local = DateTime.fromMillis(due, { zone });
          const minute = local.hour * 60 + local.minute;
          const wholeDay = startMinute >= endMinute;
          expect(wholeDay || (minute >= startMinute && minute < endMinute)).toBe(true);
          expect(isEligibleDay(due, r)).toBe(true);
          expect(due).toBeGreaterThanOrEqual(prev + delay - 3_600_000);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('per-weekday send windows', () => {
  // Mon–Thu 08:00–17:00, Fri 08:00–12:00, nothing at the weekend.
  const WEEK: ScheduleRules['weekdayWindows'] = {
    FRIDAY: { startMinute: 8 * 60, endMinute: 12 * 60 },
    SATURDAY: null,
    SUNDAY: null,
  };
  const week = (followUpDays: FollowUpDays = 'EVERYDAY') => ({ ...rules(WAW, followUpDays), window: { startMinute: 8 * 60, endMinute: 17 * 60 }, weekdayWindows: WEEK });

  it("should send at once when Friday's shorter window is open", () => {
    const t = at('2027-03-26T11:30', WAW);
    expect(nextSendableAt(t, week(), false)).toBe(t);
  });

  it("should wait for Monday's opening, across the DST change, when Friday's window has closed and the weekend is closed", () => {
    // Warsaw moves to summer time on Sunday 2027-03-28.
    expect(iso(nextSendableAt(at('2027-03-26T13:00', WAW), week(), false), WAW)).toBe('2027-03-29T08:00+02:00');
  });

  it('should keep a first email off a closed weekend even though first emails may go on any day', () => {
    expect(iso(firstStepDue(at('2027-03-27T10:00', WAW), 0, week(), true), WAW)).toBe('2027-03-29T08:00+02:00');
  });

  it("should move a follow-up due Friday afternoon to Monday's opening, not to Friday's next window", () => {
    expect(iso(followUpDue(at('2027-03-25T15:00', WAW), DAY, week('WEEKDAYS_ONLY'), true), WAW)).toBe('2027-03-29T08:00+02:00');
  });

  it('should use the window of every day on days without one of their own', () => {
    expect(iso(nextSendableAt(at('2027-03-24T16:30', WAW), week(), false), WAW)).toBe('2027-03-24T16:30+01:00');
    expect(iso(nextSendableAt(at('2027-03-24T17:30', WAW), week(), false), WAW)).toBe('2027-03-25T08:00+01:00');
  });
});
