import type { Contact, Schedule, Sequence, User } from '../domain/glossary.js';
import { isValidZone, type ScheduleRules } from '../domain/schedule.js';
import type { Db } from '../store/database.js';
import { holidayDatesFrom } from '../store/holidays.js';
import { getSchedule } from '../store/schedules.js';

/** PRODUCT §3.1: the contact's zone when asked for and known, else the sender's, else the account's. */
export function enrollmentTimeZone(contact: Contact, sender: User, useContactTimeZone: boolean, accountZone: string): string {
  const contactZone = contact.properties.timezone?.trim();
  if (useContactTimeZone && contactZone && isValidZone(contactZone)) return contactZone;
  if (sender.timezone && isValidZone(sender.timezone)) return sender.timezone;
  return accountZone;
}

/**
 * When the sequence may send for this sender, in this zone: by its named schedule when it names
 * one (read here, each time a step is placed, so editing the schedule moves every sequence on it),
 * else by its own settings. BUSINESS_DAYS also skips holidays (read only for such sequences: the
 * others never need them): a sequence's own settings skip the account's and the sender's own, a
 * schedule those it chose.
 */
export async function scheduleRules(db: Db, sequence: Sequence, zone: string, senderUserId: number): Promise<ScheduleRules> {
  const named = sequence.settings.scheduleId != null ? await getSchedule(db, sequence.settings.scheduleId) : null;
  return rulesOf(db, named ?? { ...sequence.settings, holidayCalendar: 'ACCOUNT_AND_SENDER' }, zone, senderUserId);
}

type Rules = Pick<Schedule, 'eligibleFollowUpDays' | 'sendWindowStartMinute' | 'sendWindowEndMinute' | 'holidayCalendar'> & Partial<Pick<Schedule, 'sendWindowsByWeekday'>>;

async function rulesOf(db: Db, r: Rules, zone: string, senderUserId: number): Promise<ScheduleRules> {
  const followUpDays = r.eligibleFollowUpDays;
  return {
    zone,
    followUpDays,
    window: { startMinute: r.sendWindowStartMinute, endMinute: r.sendWindowEndMinute },
    weekdayWindows: r.sendWindowsByWeekday,
    ...(followUpDays === 'BUSINESS_DAYS' && { holidays: await holidayDatesFrom(db, senderUserId, r.holidayCalendar) }),
  };
}
