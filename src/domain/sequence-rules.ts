import { WEEKDAYS, type SequenceSettings } from './glossary.js';
import { DAY_MS } from './send-limits.js';

/** PRODUCT §3.1 defaults. */
export const DEFAULT_SEQUENCE_SETTINGS: SequenceSettings = {
  eligibleFollowUpDays: 'WEEKDAYS_ONLY',
  sendWindowStartMinute: 480,
  sendWindowEndMinute: 1080,
  useThreadedFollowUps: true,
  unenrollOnReply: true,
  unenrollOnMeeting: true,
  sellingStrategy: 'LEAD_BASED',
  trackOpens: false,
  trackClicks: false,
};

/** PRODUCT §3.1 limits (configuration). */
export const SEQUENCE_LIMITS = { maxSteps: 50, maxDelayMillis: 90 * DAY_MS };

type Windows = Pick<SequenceSettings, 'sendWindowStartMinute' | 'sendWindowEndMinute' | 'sendWindowsByWeekday'>;

/** What is wrong with a set of send windows (a sequence's own or a named schedule's), each named by its field under `prefix`. */
export function sendWindowProblems(w: Windows, prefix: string): { in: string; message: string }[] {
  const { sendWindowStartMinute: start, sendWindowEndMinute: end, sendWindowsByWeekday: days = {} } = w;
  const problems = start < end ? [] : [{ in: `${prefix}sendWindowEndMinute`, message: 'The send window must end after it starts.' }];
  for (const [day, d] of Object.entries(days)) {
    if (d && d.startMinute >= d.endMinute) problems.push({ in: `${prefix}sendWindowsByWeekday.${day}.endMinute`, message: `The ${day.toLowerCase()} send window must end after it starts.` });
  }
  if (WEEKDAYS.every((d) => days[d] === null)) problems.push({ in: `${prefix}sendWindowsByWeekday`, message: 'At least one day of the week must allow sending.' });
  return problems;
}
