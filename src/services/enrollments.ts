import { inboxForAddress } from '../domain/enrollment-checks.js';
import type { Enrollment, Send } from '../domain/glossary.js';
import { getRunningEnrollment, listEnrollments } from '../store/enrollments.js';
import { listInboxesOfUser } from '../store/inboxes.js';
import { listSends } from '../store/sends.js';
import { getSequence } from '../store/sequences.js';
import { getUser } from '../store/users.js';
import type { Deps } from './deps.js';
import { errors } from './errors.js';

/** What the views of enrollments and tasks read. */

/** The sends of these enrollments, oldest first. */
export const sendsOf = (deps: Deps, enrollmentIds: number[]): Promise<Send[]> => listSends(deps.db.kysely, enrollmentIds);

/** Enrollments of a contact or a sequence, with their sends. */
export async function listEnrollmentsWithSends(deps: Deps, filter: { contactId?: number; sequenceId?: number }): Promise<{ enrollments: Enrollment[]; sends: Send[] }> {
  const enrollments = await listEnrollments(deps.db.kysely, filter);
  return { enrollments, sends: await sendsOf(deps, enrollments.map((e) => e.id)) };
}

/** A contact's running enrollment with its sequence's name and the enrolling user's email (HubSpot's enrollment status); a 404 NOT_ENROLLED when none. */
export async function runningEnrollmentStatus(deps: Deps, contactId: number): Promise<{ enrollment: Enrollment; sequenceName: string | null; enrolledByEmail: string | null }> {
  const db = deps.db.kysely;
  const enrollment = await getRunningEnrollment(db, contactId);
  if (!enrollment) throw errors.notEnrolled({ id: contactId });
  const [sequence, enrolledBy] = await Promise.all([getSequence(db, enrollment.sequenceId, { includeDeleted: true }), getUser(db, enrollment.enrolledByUserId)]);
  return { enrollment, sequenceName: sequence?.name ?? null, enrolledByEmail: enrolledBy?.email ?? null };
}

/** Whether `address` is an address or alias of one of the user's inboxes. */
export const userSendsFrom = async (deps: Deps, userId: number, address: string): Promise<boolean> =>
  inboxForAddress(await listInboxesOfUser(deps.db.kysely, userId), address) !== null;

