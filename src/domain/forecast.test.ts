import { describe, expect, it } from 'vitest';
import { sendableAt, simulate, type ForecastInbox, type ForecastWorld, type SimRun } from './forecast.js';
import type { ScheduleRules } from './schedule.js';

const DAY = 86_400_000;
const T = Date.parse('2026-03-02T14:00:00Z'); // Monday 09:00 New York
const always: ScheduleRules = { zone: 'America/New_York', followUpDays: 'EVERYDAY', window: { startMinute: 0, endMinute: 1440 } };
const inbox = (o: Partial<ForecastInbox> = {}): ForecastInbox => ({ dailyLimit: 10, perMinuteLimit: 100, attempts: [], scheduledElsewhere: 0, ...o });

describe('sendableAt', () => {
  it('should answer now when the inbox has room', () => {
    expect(sendableAt(inbox({ attempts: [T - 1000] }), T)).toBe(T);
  });

  it('should answer a millisecond after the oldest counted send leaves the 24 h window when the sequence limit (90 %) is full', () => {
    const attempts = Array.from({ length: 9 }, (_, i) => T - 5 * 3_600_000 + i);
    expect(sendableAt(inbox({ attempts }), T)).toBe(attempts[0] + DAY + 1);
  });
});

describe('simulate', () => {
  it('should send the first 9 emails at once and hold the 10th to the next day when a daily limit of 10 meets 10 contacts', async () => {
    const inboxes = new Map([['1', inbox()]]);
    const runs: SimRun[] = Array.from({ length: 10 }, () => ({ actionId: 'enroll', due: T }));
    const enrolled: ReturnType<ForecastWorld['enroll']>[] = [];
    const sim = await simulate({
      start: T,
      end: T + 3 * DAY,
      runs,
      inboxes,
      act: async (_i, _a, world) => {
        enrolled.push(world.enroll({ inboxKey: '1', rules: always, steps: [{ stepOrder: 0, type: 'EMAIL', delayMillis: DAY, waitsForRep: false }], firstDue: world.now + DAY }));
        return { next: null, dueAt: world.now };
      },
    });
    const times = sim.enrollments.map((e) => e.predicted[0]);
    expect(times.slice(0, 9).every((p) => p.at === T + DAY && !p.heldByLimit)).toBe(true);
    expect(times[9]).toEqual({ stepOrder: 0, type: 'EMAIL', at: T + 2 * DAY + 1, heldByLimit: true });
  });
});
