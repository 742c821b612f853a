import type { Contact, Sequence, User } from '../domain/glossary.js';
import { isValidZone, type ScheduleRules } from '../domain/schedule.js';

/** PRODUCT §3.1: the contact's zone when asked for and known, else the sender's, else the account's. */
export function enrollmentTimeZone(contact: Contact, sender: User, useContactTimeZone: boolean, accountZone: string): string {
  const contactZone = contact.properties.timezone?.trim();
  if (useContactTimeZone && contactZone && isValidZone(contactZone)) return contactZone;
  if (sender.timezone && isValidZone(sender.timezone)) return sender.timezone;
  return accountZone;
}

export const scheduleRules = (sequence: Sequence, zone: string): ScheduleRules => ({
  zone,
  followUpDays: sequence.settings.eligibleFollowUpDays,
  window: { startMinute: sequence.settings.sendWindowStartMinute, endMinute: sequence.settings.sendWindowEndMinute },
});
