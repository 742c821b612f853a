import { describe, expect, it } from 'vitest';
import { sendWindowProblems } from './sequence-rules.js';

describe('sendWindowProblems', () => {
  it('should find nothing wrong when the window and each own day end after they start', () => {
    expect(sendWindowProblems({ sendWindowStartMinute: 540, sendWindowEndMinute: 1020, sendWindowsByWeekday: { FRIDAY: { startMinute: 540, endMinute: 720 }, SUNDAY: null } }, '')).toEqual([]);
  });

  it('should name each field under the prefix when a window ends before it starts or no day sends', () => {
    const closed = { MONDAY: null, TUESDAY: null, WEDNESDAY: null, THURSDAY: null, FRIDAY: null, SATURDAY: null, SUNDAY: null };
    expect(sendWindowProblems({ sendWindowStartMinute: 600, sendWindowEndMinute: 600, sendWindowsByWeekday: closed }, 'settings.').map((p) => p.in)).toEqual([
      'settings.sendWindowEndMinute',
      'settings.sendWindowsByWeekday',
    ]);
    expect(sendWindowProblems({ sendWindowStartMinute: 0, sendWindowEndMinute: 1440, sendWindowsByWeekday: { FRIDAY: { startMinute: 720, endMinute: 540 } } }, '')).toEqual([
      { in: 'sendWindowsByWeekday.FRIDAY.endMinute', message: 'The friday send window must end after it starts.' },
    ]);
  });
});
