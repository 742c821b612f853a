import { z } from 'zod';
import { collection, cursor, id, pathId, timestamp } from './common.js';
import { minute, sendWindowsByWeekday } from './sequences.js';
import { FOLLOW_UP_DAYS, HOLIDAY_CALENDARS } from './vocabulary.js';

/** Named schedules (issue #14 item 4): send windows and follow-up days sequences share by naming one (settings.scheduleId). */

const fields = {
  name: z.string().trim().min(1).max(200),
  sendWindowStartMinute: minute.describe("Minutes after midnight in each enrollment's zone the window opens"),
  sendWindowEndMinute: minute.describe('Minutes after midnight the window closes (exclusive)'),
  sendWindowsByWeekday,
  eligibleFollowUpDays: z.enum(FOLLOW_UP_DAYS),
  holidayCalendar: z
    .enum(HOLIDAY_CALENDARS)
    .describe("Whose holidays BUSINESS_DAYS skips: the account's and the sender's own (as a sequence's own settings), only the account's, or only the sender's"),
};

// ---- requests --------------------------------------------------------------------------------

export const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(100), after: cursor });
export const scheduleBody = z
  .object({
    ...fields,
    sendWindowsByWeekday: fields.sendWindowsByWeekday.default({}),
    eligibleFollowUpDays: fields.eligibleFollowUpDays.default('WEEKDAYS_ONLY'),
    holidayCalendar: fields.holidayCalendar.default('ACCOUNT_AND_SENDER'),
  })
  .strict();
export const schedulePatch = z.object(fields).partial().strict();
export const scheduleParam = z.object({ id: pathId });

// ---- responses -------------------------------------------------------------------------------

export const schedule = z.object({
  id,
  name: z.string(),
  sendWindowStartMinute: z.number().int(),
  sendWindowEndMinute: z.number().int(),
  sendWindowsByWeekday,
  eligibleFollowUpDays: z.enum(FOLLOW_UP_DAYS),
  holidayCalendar: z.enum(HOLIDAY_CALENDARS),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export const schedules = collection(schedule);

export type Schedule = z.infer<typeof schedule>;
