import { describe, expect, it } from 'vitest';
import { isAllowedAt, nextAllowedInstant, type FlowBlockedDate, type FlowTimeWindow } from './workflow-windows.js';

const NY = 'America/New_York';
const WARSAW = 'Europe/Warsaw';
const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const hours = (day: FlowTimeWindow['day'], from: number, to: number): FlowTimeWindow => ({ day, startTime: { hour: from, minute: 0 }, endTime: { hour: to, minute: 0 } });
const weekdays = (from: number, to: number) => (['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] as const).map((d) => hours(d, from, to));
const blocked = (year: number, month: FlowBlockedDate['month'], dayOfMonth: number): FlowBlockedDate => ({ year, month, dayOfMonth });

describe('nextAllowedInstant', () => {
  it('should wait for Sunday 09:00 local when only Sunday 09–10 is allowed and today is blocked, across the spring DST change', () => {
    // Wednesday 2026-03-04 10:00 in New York (EST); Sunday 2026-03-08 is the day clocks go forward.
    const wednesday = t('2026-03-04T15:00:00Z');
    const next = nextAllowedInstant(wednesday, { timeWindows: [hours('SUNDAY', 9, 10)], blockedDates: [blocked(2026, 'MARCH', 4)] }, NY);
    expect(iso(next)).toBe('2026-03-08T13:00:00.000Z'); // 09:00 EDT, not 09:00 EST (14:00Z)
  });

  it('should return the instant itself when it is inside a window and not on a blocked date', () => {
    const inside = t('2026-03-04T14:30:00Z'); // Wednesday 09:30 EST
    expect(nextAllowedInstant(inside, { timeWindows: weekdays(9, 17), blockedDates: [] }, NY)).toBe(inside);
    expect(isAllowedAt(inside, { timeWindows: weekdays(9, 17) }, NY)).toBe(true);
  });

  it('should return the instant itself when there are no windows and no blocked dates', () => {
    const any = t('2026-03-07T03:17:00Z');
    expect(nextAllowedInstant(any, { timeWindows: [], blockedDates: [] }, NY)).toBe(any);
  });

  it('should move a delay that ends on Friday evening to Monday 09:00, never earlier than the delay end', () => {
    const fridayEvening = t('2026-03-06T22:30:00Z'); // Friday 17:30 EST
    expect(iso(nextAllowedInstant(fridayEvening, { timeWindows: weekdays(9, 17) }, NY))).toBe('2026-03-09T13:00:00.000Z'); // Monday 09:00 EDT
    const beforeOpening = t('2026-03-10T12:59:00Z'); // Tuesday 08:59 EDT
    expect(iso(nextAllowedInstant(beforeOpening, { timeWindows: weekdays(9, 17) }, NY))).toBe('2026-03-10T13:00:00.000Z');
  });

  it('should treat the window end as exclusive to the minute', () => {
    const atFive = t('2026-03-10T21:00:00Z'); // Tuesday 17:00 EDT
    expect(iso(nextAllowedInstant(atFive, { timeWindows: weekdays(9, 17) }, NY))).toBe('2026-03-11T13:00:00.000Z');
    const fourFiftyNine = t('2026-03-10T20:59:00Z');
    expect(nextAllowedInstant(fourFiftyNine, { timeWindows: weekdays(9, 17) }, NY)).toBe(fourFiftyNine);
  });

  it('should skip a blocked date to the next allowed day when the blocked day has a window', () => {
    const mondayMorning = t('2026-03-09T12:00:00Z'); // Monday 08:00 EDT
    const timing = { timeWindows: weekdays(9, 17), blockedDates: [blocked(2026, 'MARCH', 9), blocked(2026, 'MARCH', 10)] };
    expect(iso(nextAllowedInstant(mondayMorning, timing, NY))).toBe('2026-03-11T13:00:00.000Z');
  });

  it('should start the day after a blocked date at local midnight when there are no windows', () => {
    const blockedDay = t('2026-11-01T15:00:00Z'); // Sunday 2026-11-01, the day clocks go back in New York
    expect(iso(nextAllowedInstant(blockedDay, { blockedDates: [blocked(2026, 'NOVEMBER', 1)] }, NY))).toBe('2026-11-02T05:00:00.000Z'); // 00:00 EST
  });

  it('should open a window whose start falls in the skipped hour at the moment clocks jump', () => {
    const saturdayNight = t('2026-03-08T04:00:00Z'); // Saturday 23:00 EST
    const next = nextAllowedInstant(saturdayNight, { timeWindows: [{ day: 'SUNDAY', startTime: { hour: 2, minute: 30 }, endTime: { hour: 4, minute: 0 } }] }, NY);
    expect(iso(next)).toBe('2026-03-08T07:00:00.000Z'); // 03:00 EDT: the first minute whose wall clock is past 02:30
  });

  it('should keep the local hour across the autumn DST change in Warsaw', () => {
    const timing = { timeWindows: [hours('SUNDAY', 9, 10)] };
    expect(iso(nextAllowedInstant(t('2026-10-21T10:00:00Z'), timing, WARSAW))).toBe('2026-10-25T08:00:00.000Z'); // 09:00 CET, after the change
    expect(iso(nextAllowedInstant(t('2026-10-14T10:00:00Z'), timing, WARSAW))).toBe('2026-10-18T07:00:00.000Z'); // 09:00 CEST, before it
  });

  it('should treat a window with no start or end as the whole day', () => {
    const saturday = t('2026-03-07T15:00:00Z');
    expect(iso(nextAllowedInstant(saturday, { timeWindows: [{ day: 'SUNDAY' }] }, NY))).toBe('2026-03-08T05:00:00.000Z'); // Sunday 00:00 EST
  });

  it('should ignore stored entries that are not well formed when the definition predates validation', () => {
    const any = t('2026-03-07T03:17:00Z');
    expect(nextAllowedInstant(any, { timeWindows: [{ day: 'FUNDAY' }, 'x'], blockedDates: [{ month: 'SMARCH' }] }, NY)).toBe(any);
  });
});

describe('the month names', () => {
  it('should be the same in the request schema as in the domain when a blocked date is parsed', async () => {
    const { MONTHS: schemaMonths } = await import('../schemas/flows.js');
    const { MONTHS } = await import('./workflow-windows.js');
    expect(schemaMonths).toEqual(MONTHS);
  });
});
