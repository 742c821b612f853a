import type { QueueTask } from '../../types';

export const TYPE_LABELS: Record<QueueTask['type'], string> = {
  CALL: 'Call',
  EMAIL: 'Email',
  TODO: 'To-do',
  LINKED_IN_CONNECT: 'LinkedIn connect',
  LINKED_IN_MESSAGE: 'LinkedIn message',
};

/** The server's call outcomes (src/domain/glossary.ts CALL_OUTCOMES), as a rep reads them. */
export const CALL_OUTCOME_LABELS: Record<NonNullable<QueueTask['callOutcome']>, string> = {
  CONNECTED: 'Connected',
  LEFT_VOICEMAIL: 'Left voicemail',
  LEFT_LIVE_MESSAGE: 'Left live message',
  NO_ANSWER: 'No answer',
  BUSY: 'Busy',
  WRONG_NUMBER: 'Wrong number',
};

export const SECTION_LABELS: Record<QueueTask['section'], string> = { OVERDUE: 'Overdue', TODAY: 'Due today', UPCOMING: 'Upcoming' };

/** Task notes are HTML rendered on the server; shown as text, so nothing in them runs. */
export function notesText(html: string): string {
  return new DOMParser().parseFromString(html, 'text/html').body.textContent?.trim() ?? '';
}
