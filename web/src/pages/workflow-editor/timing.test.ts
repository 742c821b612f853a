import { describe, expect, it } from 'vitest';
import { blockedDateOf, dateOf, timingOf, timingProblem, windowsOf } from './timing';

describe('the timing settings form', () => {
  it('should write HubSpot timeWindows for each chosen day and read them back when specific times are set', () => {
    const windows = windowsOf({ specificTimes: true, days: ['SUNDAY'], from: '09:00', to: '10:00', custom: false });
    expect(windows).toEqual([{ day: 'SUNDAY', startTime: { hour: 9, minute: 0 }, endTime: { hour: 10, minute: 0 } }]);
    expect(timingOf(windows)).toEqual({ specificTimes: true, days: ['SUNDAY'], from: '09:00', to: '10:00', custom: false });
  });

  it('should write no windows when actions may run any time', () => {
    expect(windowsOf({ specificTimes: false, days: ['MONDAY'], from: '09:00', to: '17:00', custom: false })).toEqual([]);
    expect(timingOf([]).specificTimes).toBe(false);
  });

  it('should mark windows with different hours per day as custom when the simple form cannot show them', () => {
    const t = timingOf([
      { day: 'MONDAY', startTime: { hour: 9, minute: 0 }, endTime: { hour: 12, minute: 0 } },
      { day: 'TUESDAY', startTime: { hour: 13, minute: 0 }, endTime: { hour: 17, minute: 0 } },
    ]);
    expect(t.custom).toBe(true);
  });

  it("should turn a date picker's YYYY-MM-DD into HubSpot's blocked date and back", () => {
    expect(blockedDateOf('2026-03-04')).toEqual({ year: 2026, month: 'MARCH', dayOfMonth: 4 });
    expect(dateOf({ year: 2026, month: 'MARCH', dayOfMonth: 4 })).toBe('2026-03-04');
    expect(blockedDateOf('')).toBeNull();
  });

  it('should name the problem when no day is chosen or the hours end before they start', () => {
    expect(timingProblem({ specificTimes: true, days: [], from: '09:00', to: '17:00', custom: false })).toMatch(/at least one day/);
    expect(timingProblem({ specificTimes: true, days: ['MONDAY'], from: '17:00', to: '09:00', custom: false })).toMatch(/after the start/);
    expect(timingProblem({ specificTimes: true, days: ['MONDAY'], from: '09:00', to: '24:00', custom: false })).toBeNull();
  });
});
