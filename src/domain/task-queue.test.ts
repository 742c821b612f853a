import { describe, expect, it } from 'vitest';
import { queueAssignee, queueSection, sectionRange } from './task-queue.js';

const at = (iso: string) => Date.parse(iso);

describe('queueSection', () => {
  const now = at('2026-03-02T14:00:00Z'); // 09:00 in New York
  it('should call a task due earlier today due today, not overdue, when the day is not over', () => {
    expect(queueSection(at('2026-03-02T05:30:00Z'), now, 'America/New_York')).toBe('TODAY');
  });
  it('should call a task overdue when it was due before midnight of the rep’s time zone', () => {
    expect(queueSection(at('2026-03-02T04:59:00Z'), now, 'America/New_York')).toBe('OVERDUE');
    expect(queueSection(at('2026-03-02T04:59:00Z'), now, 'UTC')).toBe('TODAY');
  });
  it('should call a task upcoming when it is due tomorrow or later', () => {
    expect(queueSection(at('2026-03-03T05:00:00Z'), now, 'America/New_York')).toBe('UPCOMING');
  });
  it('should give ranges that agree with the sections when a section is asked for', () => {
    expect(sectionRange('TODAY', now, 'America/New_York')).toEqual({ from: at('2026-03-02T05:00:00Z'), before: at('2026-03-03T05:00:00Z') });
    expect(sectionRange('OVERDUE', now, 'America/New_York')).toEqual({ before: at('2026-03-02T05:00:00Z') });
  });
});

describe('queueAssignee', () => {
  it("should show a rep only their own tasks when they ask for no one or for themselves", () => {
    expect(queueAssignee({ admin: false, userId: 7 }, undefined)).toEqual({ userId: 7 });
    expect(queueAssignee({ admin: false, userId: 7 }, 7)).toEqual({ userId: 7 });
  });
  it("should refuse a rep another rep's queue when they name them", () => {
    expect(queueAssignee({ admin: false, userId: 7 }, 8)).toEqual({ refused: 'NOT_YOURS' });
  });
  it('should show an admin or a token everyone, or whom they name, when they read the queue', () => {
    expect(queueAssignee({ admin: true, userId: 1 }, undefined)).toEqual({ userId: undefined });
    expect(queueAssignee({ admin: true, userId: 1 }, 8)).toEqual({ userId: 8 });
    expect(queueAssignee({ admin: false, userId: null }, 8)).toEqual({ userId: 8 });
  });
});
