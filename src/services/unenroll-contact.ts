import type { Enrollment } from '../domain/glossary.js';
import type { EnrollmentEndReason } from '../domain/reasons.js';
import { getRunningEnrollment, listEnrollments, updateEnrollment } from '../store/enrollments.js';
import { closeEnrollmentTasks } from '../store/tasks.js';
import { recordEvent, type At } from './events.js';
import type { Tx } from '../store/database.js';
import { errors } from './errors.js';
import type { Deps } from './deps.js';

/**
 * Ends a running enrollment. The update is conditional on the state, so a worker mid-step and
 * an unenroll never both win; the lease is dropped so no worker picks the row up again.
 * History (sends, tasks, events) is kept; its open tasks are closed with the reason, as the work
 * they ask for is moot once the contact replied, bounced or left.
 */
export async function endEnrollment(
  tx: Tx,
  enrollment: Enrollment,
  reason: EnrollmentEndReason,
  at: At,
): Promise<Enrollment | null> {
  const now = at.now;
  const ended = await updateEnrollment(
    tx,
    enrollment.id,
    { state: 'UNENROLLED', reason, ended_at: now, updated_at: now, next_due_at: null, next_step_type: null, lease_owner: null, lease_until: null },
    { states: ['ACTIVE', 'PAUSED'] },
  );
  if (!ended) return null;
  await closeEnrollmentTasks(tx, ended.id, reason, now);
  await recordEvent(tx, at, ended.contactId, 'SEQUENCE_UNENROLLED', { enrollmentId: ended.id, sequenceId: ended.sequenceId, reason });
  return ended;
}

export async function unenrollContact(deps: Deps, contactId: number, reason: EnrollmentEndReason): Promise<Enrollment> {
  return deps.db.transaction(async (tx) => {
    const running = await getRunningEnrollment(tx, contactId);
    const ended = running && (await endEnrollment(tx, running, reason, atNow(deps)));
    if (!ended) throw errors.notEnrolled({ id: contactId });
    return ended;
  });
}

export async function endRunningEnrollments(
  tx: Tx,
  filter: { senderUserId?: number; sequenceId?: number; contactId?: number },
  reason: EnrollmentEndReason,
  at: At,
): Promise<number> {
  const running = await listEnrollments(tx, { ...filter, states: ['ACTIVE', 'PAUSED'], limit: 1_000_000 });
  let n = 0;
  for (const e of running) if (await endEnrollment(tx, e, reason, at)) n++;
  return n;
}

export const atNow = (deps: Deps): At => ({ now: deps.clock.now(), zone: deps.config.accountTimeZone });
