import { getContact } from '../store/contacts.js';
import { getRunningEnrollment } from '../store/enrollments.js';
import { insertMeeting } from '../store/forms.js';
import { getMeeting, listMeetings, type Meeting } from '../store/meetings.js';
import { getSequence } from '../store/sequences.js';
import { getUser } from '../store/users.js';
import type { Deps } from './deps.js';
import { fieldError, errors } from './errors.js';
import { recordEvent } from './events.js';
import { atNow, endEnrollment } from './unenroll-contact.js';
import { endCompanyEnrollmentsOnMeeting } from './account-based.js';
import type { Enrollment } from '../domain/glossary.js';

/**
 * Records a booked meeting (HubSpot's meetings object) and its MEETING_BOOKED event. A meeting
 * with the enrolling user ends the contact's enrollment when the sequence says so (PRODUCT §3.6).
 */
export async function bookMeeting(deps: Deps, input: { contactIds: number[]; ownerId: number | null; properties: Record<string, string | null>; startAt: number | null }) {
  if (input.contactIds.length === 0) throw fieldError('associations', 'A meeting must be associated with a contact.');
  return deps.db.transaction(async (tx) => {
    const at = atNow(deps);
    if (input.ownerId !== null && !(await getUser(tx, input.ownerId))) throw fieldError('properties.hubspot_owner_id', `Owner ${input.ownerId} does not exist.`);
    let id = 0;
    const bookerEnrollments = new Map<number, Enrollment>();
    for (const contactId of input.contactIds) {
      if (!(await getContact(tx, contactId))) throw errors.contactNotFound({ id: contactId });
      id = await insertMeeting(tx, { contactId, userId: input.ownerId, properties: input.properties, startAt: input.startAt }, at.now);
      await recordEvent(tx, at, contactId, 'MEETING_BOOKED', { meetingId: id, userId: input.ownerId, title: input.properties.hs_meeting_title ?? null });
      const running = await getRunningEnrollment(tx, contactId);
      if (!running) continue;
      bookerEnrollments.set(contactId, running);
      const sequence = await getSequence(tx, running.sequenceId, { includeDeleted: true });
      const withEnrollingUser = input.ownerId === null || input.ownerId === running.senderUserId || input.ownerId === running.enrolledByUserId;
      if (sequence?.settings.unenrollOnMeeting !== false && withEnrollingUser) await endEnrollment(tx, running, 'MEETING_BOOKED', at);
    }
    // ACCOUNT_BASED: anyone at the company booking ends the colleagues' enrollments too.
    for (const contactId of input.contactIds) await endCompanyEnrollmentsOnMeeting(tx, at, contactId, input.ownerId, bookerEnrollments.get(contactId) ?? null);
    return { id, createdAt: at.now };
  });
}

export async function requireMeeting(deps: Deps, id: number): Promise<Meeting> {
  const meeting = await getMeeting(deps.db.kysely, id);
  if (!meeting) throw errors.meetingNotFound({ id });
  return meeting;
}

/** One page of meetings and the cursor of the next, if there is one. */
export async function meetingsPage(deps: Deps, o: { after: number; limit: number }): Promise<{ meetings: Meeting[]; nextAfter: number | null }> {
  const rows = await listMeetings(deps.db.kysely, { after: o.after, limit: o.limit + 1 });
  const meetings = rows.slice(0, o.limit);
  return { meetings, nextAfter: rows.length > o.limit ? meetings[meetings.length - 1].id : null };
}

export type { Meeting } from '../store/meetings.js';
