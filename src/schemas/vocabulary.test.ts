import { describe, expect, it } from 'vitest';
import { FOLLOW_UP_DAYS, HOLIDAY_CALENDARS, WEEKDAYS, INBOX_PROVIDERS, SEATS, SELLING_STRATEGIES, TASK_TYPES, type EnrollmentSource, type EnrollmentState, type InboxStatus, type SendStatus, type Step, type UserRole } from '../domain/glossary.js';
import type { ActionStatus } from '../store/workflows.js';
import { CALL_OUTCOMES, TASK_STATUSES } from '../domain/glossary.js';
import { QUEUE_SECTIONS } from '../domain/task-queue.js';
import { ENROLLMENT_REJECTIONS } from '../domain/reasons.js';
import type { ListProcessingType } from '../domain/glossary.js';
import * as vocabulary from './vocabulary.js';

/** src/schemas may import nothing but zod, so it copies the domain's lists: the copies stay equal. */
describe('the vocabulary of the schemas', () => {
  it.each([
    ['SEATS', SEATS],
    ['INBOX_PROVIDERS', INBOX_PROVIDERS],
    ['FOLLOW_UP_DAYS', FOLLOW_UP_DAYS],
    ['SELLING_STRATEGIES', SELLING_STRATEGIES],
    ['HOLIDAY_CALENDARS', HOLIDAY_CALENDARS],
    ['TASK_TYPES', TASK_TYPES],
    ['TASK_STATUSES', TASK_STATUSES],
    ['CALL_OUTCOMES', CALL_OUTCOMES],
    ['QUEUE_SECTIONS', QUEUE_SECTIONS],
    ['WEEKDAYS', WEEKDAYS],
  ] as const)('should equal the domain list when %s is read', (name, domain) => {
    expect(vocabulary[name]).toEqual(domain);
  });
});

/** The domain's unions that are types only, checked by tsc: each side covers the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Member<T extends readonly string[]> = T[number];
export const SAME_AS_DOMAIN: [
  Same<Member<typeof vocabulary.USER_ROLES>, UserRole>,
  Same<Member<typeof vocabulary.INBOX_STATUSES>, InboxStatus>,
  Same<Member<typeof vocabulary.TASK_PRIORITIES>, NonNullable<Step['taskPriority']>>,
  Same<Member<typeof vocabulary.ENROLLMENT_STATES>, EnrollmentState>,
  Same<Member<typeof vocabulary.ENROLLMENT_SOURCES>, EnrollmentSource>,
  Same<Member<typeof vocabulary.SEND_STATUSES>, SendStatus>,
  Same<Member<typeof vocabulary.ACTION_STATUSES>, ActionStatus>,
] = [true, true, true, true, true, true, true];

describe('the vocabulary of lists and bulk enrollment', () => {
  it('should equal the domain lists when the rejection codes and processing types are read', () => {
    expect(vocabulary.ENROLLMENT_REJECTION_CODES).toEqual(ENROLLMENT_REJECTIONS);
    const processing: Same<Member<typeof vocabulary.LIST_PROCESSING_TYPES>, ListProcessingType> = true;
    expect(processing).toBe(true);
  });
});
