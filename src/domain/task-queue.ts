/**
 * Where a task sits in a rep's queue (issue #14 item 2): overdue (due before today), due today,
 * or upcoming, by the calendar day of the rep's time zone. A task created "now" by a sequence is
 * due today, not overdue, until the day is over. Pure.
 */
import { DateTime } from 'luxon';
import type { Millis } from './glossary.js';

export const QUEUE_SECTIONS = ['OVERDUE', 'TODAY', 'UPCOMING'] as const;
export type QueueSection = (typeof QUEUE_SECTIONS)[number];

/** Start of the day `now` falls in and of the next one, in `zone`. */
export function dayBounds(now: Millis, zone: string): { start: Millis; end: Millis } {
  const day = DateTime.fromMillis(now, { zone }).startOf('day');
  return { start: day.toMillis(), end: day.plus({ days: 1 }).toMillis() };
}

export function queueSection(dueAt: Millis, now: Millis, zone: string): QueueSection {
  const { start, end } = dayBounds(now, zone);
  if (dueAt < start) return 'OVERDUE';
  return dueAt < end ? 'TODAY' : 'UPCOMING';
}

/** The due range [from, before) of a section; undefined ends are open. */
export function sectionRange(section: QueueSection, now: Millis, zone: string): { from?: Millis; before?: Millis } {
  const { start, end } = dayBounds(now, zone);
  if (section === 'OVERDUE') return { before: start };
  if (section === 'TODAY') return { from: start, before: end };
  return { from: end };
}

/** Who reads a queue: an admin (or an API token that is no user's) reads anyone's; a rep their own. */
export interface QueueReader {
  admin: boolean;
  userId: number | null;
}

/**
 * Whose tasks a reader's queue shows: a rep sees only their own (their id when none is asked
 * for); an admin sees whom they ask for, everyone when no one is named.
 */
export function queueAssignee(reader: QueueReader, requested: number | undefined): { userId: number | undefined } | { refused: 'NOT_YOURS' } {
  if (reader.admin || reader.userId === null) return { userId: requested };
  if (requested !== undefined && requested !== reader.userId) return { refused: 'NOT_YOURS' };
  return { userId: reader.userId };
}
