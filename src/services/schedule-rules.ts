import type { Contact, Sequence, User } from '../domain/glossary.js';
import { isValidZone, type ScheduleRules } from '../domain/schedule.js';
import type { Db } from '../store/database.js';
import { holidayDatesOf } from '../store/holidays.js';

/** PRODUCT §3.1: the contact's zone when asked for and known, else the sender's, else the account's. */
export function enrollmentTimeZone(contact: Contact, sender: User, useContactTimeZone: boolean, accountZone: string): string {
  const contactZone = contact.properties.timezone?.trim();
  if (useContactTimeZone && contactZone && isValidZone(contactZone)) return contactZone;
  if (sender.timezone && isValidZone(sender.timezone)) return sender.timezone;
  return accountZone;
}

/**
 * When the sequence may send for this sender, in this zone. BUSINESS_DAYS also skips the
 * account's holidays and the sender's own (read only for such sequences: the others never need them).
 */
export async function scheduleRules(db: Db, sequence: Sequence, zone: string, senderUserId: number): Promise<ScheduleRules> {
  const followUpDays = sequence.settings.eligibleFollowUpDays;
  return {
    zone,
    followUpDays,
    window: { startMinute: sequence.settings.sendWindowStartMinute, endMinute: sequence.settings.sendWindowEndMinute },
    weekdayWindows: sequence.settings.sendWindowsByWeekday,
    ...(followUpDays === 'BUSINESS_DAYS' && { holidays: await holidayDatesOf(db, senderUserId) }),
  };
}
