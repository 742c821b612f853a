import { describe, expect, it } from 'vitest';
import { dateDelayEnd, dateDelayOf, nextWeekdayTime, weekdayDelayOf } from './workflow-delays.js';

const NY = 'America/New_York';
const WARSAW = 'Europe/Warsaw';
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const at = (s: string) => Date.parse(s);

describe('delay until a date', () => {
  const end = (value: string, fields: Record<string, unknown>, zone = NY) => {
    const d = dateDelayOf({ date: { type: 'OBJECT_PROPERTY', propertyName: 'renewal_date' }, ...fields });
    if (typeof d === 'string') throw new Error(d);
    return iso(dateDelayEnd(value, d, zone));
  };

  it('should end at 09:00 New York time five days before when the date is after the March DST change and the offset is -5 days', () => {
    // 2026-03-10 is EDT (UTC-4); five days before, 2026-03-05, is still EST (UTC-5).
    expect(end('2026-03-10', { delta: '-5', time_unit: 'DAYS', time_of_day: { hour: 9, minute: 0 } })).toBe('2026-03-05T14:00:00.000Z');
  });

  it('should keep the wall time when HubSpot writes the same offset as -7200 minutes', () => {
    expect(end('2026-03-10', { delta: '-7200', time_unit: 'MINUTES', time_of_day: { hour: 9, minute: 0 } })).toBe('2026-03-05T14:00:00.000Z');
  });

  it('should end at 09:00 EDT the day after when the date is the Saturday before the DST change', () => {
    expect(end('2026-03-07', { delta: '1', time_unit: 'DAYS', time_of_day: { hour: 9, minute: 0 } })).toBe('2026-03-08T13:00:00.000Z');
  });

  it('should end at local midnight of the date when no time of day or offset is given', () => {
    expect(end('2026-03-10', {})).toBe('2026-03-10T04:00:00.000Z');
  });

  it('should end at the exact instant plus the minutes when the value is a datetime and no time of day is given', () => {
    expect(end('2026-03-08T06:59:00.000Z', { delta: '90', time_unit: 'MINUTES' })).toBe('2026-03-08T08:29:00.000Z');
  });

  it('should use the local day of a datetime at the time of day when one is given', () => {
    // 2026-03-08T03:30Z is still the 7th in New York (22:30 EST).
    expect(end('2026-03-08T03:30:00.000Z', { time_of_day: { hour: 8, minute: 15 } })).toBe('2026-03-07T13:15:00.000Z');
  });

  it('should read epoch milliseconds at UTC midnight as a calendar date, as HubSpot sends date values', () => {
    expect(end(String(Date.UTC(2026, 2, 10)), { time_of_day: { hour: 9, minute: 30 } })).toBe('2026-03-10T13:30:00.000Z');
  });

  it('should read 02:30 on the day Warsaw skips it as 03:30 summer time when the time of day falls in the DST gap', () => {
    expect(end('2026-03-29', { time_of_day: { hour: 2, minute: 30 } }, WARSAW)).toBe('2026-03-29T01:30:00.000Z');
  });

  it('should answer null when the value is not a date', () => {
    expect(end('next tuesday', {})).toBeNull();
    expect(end('2026-02-30', {})).toBeNull();
  });

  it.each([
    [{ date: { type: 'OBJECT_PROPERTY' } }, 'date must be'],
    [{ date: { type: 'OBJECT_PROPERTY', propertyName: 'd' }, delta: '1.5' }, 'delta must be a whole number'],
    [{ date: { type: 'OBJECT_PROPERTY', propertyName: 'd' }, time_unit: 'FORTNIGHTS' }, 'time_unit must be one of'],
    [{ date: { type: 'OBJECT_PROPERTY', propertyName: 'd' }, time_of_day: { hour: 24, minute: 0 } }, 'time_of_day must be'],
    [{ date: { type: 'STATIC_VALUE', staticValue: 'soon' } }, 'date must be'],
  ])('should name the problem when the fields are %j', (fields, problem) => {
    expect(dateDelayOf(fields)).toContain(problem);
  });
});

describe('delay until a weekday and time in a zone', () => {
  const next = (now: string, days: string[], hour: number, minute: number, zone = WARSAW) => {
    const d = weekdayDelayOf({ days_of_week: days, time_of_day: { hour, minute }, time_zone: zone });
    if (typeof d === 'string') throw new Error(d);
    return iso(nextWeekdayTime(at(now), d, d.zone ?? NY));
  };

  it('should end next Tuesday 09:00 Warsaw summer time when it is Friday before the March DST change', () => {
    // Friday 2026-03-27 12:00 CET; Warsaw moves to CEST (UTC+2) on Sunday the 29th.
    expect(next('2026-03-27T11:00:00.000Z', ['TUESDAY'], 9, 0)).toBe('2026-03-31T07:00:00.000Z');
  });

  it('should end the same day when it is Tuesday 08:59 and continue at once at 09:00 exactly', () => {
    expect(next('2026-03-31T06:59:00.000Z', ['TUESDAY'], 9, 0)).toBe('2026-03-31T07:00:00.000Z');
    expect(next('2026-03-31T07:00:00.000Z', ['TUESDAY'], 9, 0)).toBe('2026-03-31T07:00:00.000Z');
  });

  it('should wait a week when it is Tuesday 09:01', () => {
    expect(next('2026-03-31T07:01:00.000Z', ['TUESDAY'], 9, 0)).toBe('2026-04-07T07:00:00.000Z');
  });

  it('should take the nearest of several weekdays across the October change back to winter time', () => {
    // Saturday 2026-10-24 10:00 CEST; Sunday the 25th is back to CET (UTC+1).
    expect(next('2026-10-24T08:00:00.000Z', ['MONDAY', 'THURSDAY'], 9, 0)).toBe('2026-10-26T08:00:00.000Z');
  });

  it.each([
    [{ days_of_week: [], time_of_day: { hour: 9, minute: 0 } }, 'days_of_week'],
    [{ days_of_week: ['TUESDAY'], time_of_day: { hour: 9 } }, 'time_of_day'],
    [{ days_of_week: ['TUESDAY'], time_of_day: { hour: 9, minute: 0 }, time_zone: 'Mars/Olympus' }, 'time_zone'],
  ])('should name the problem when the fields are %j', (fields, problem) => {
    expect(weekdayDelayOf(fields)).toContain(problem);
  });
});
