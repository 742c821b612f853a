import type { Enrollment } from '../domain/glossary.js';
import { getEnrollment, updateEnrollment } from '../store/enrollments.js';
import { appendEvent } from '../store/events.js';
import { conflict, notFound } from './errors.js';
import { nextSendableAt } from '../domain/schedule.js';
import { getSequence } from '../store/sequences.js';
import { scheduleRules } from './schedule-rules.js';
import type { Deps } from './deps.js';

/** Pause keeps the remaining delay; resume continues from there (PRODUCT §3.2). */
export async function pauseEnrollment(deps: Deps, id: number): Promise<Enrollment> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const e = await getEnrollment(tx, id);
    if (!e) throw notFound('Enrollment', id);
    if (e.state !== 'ACTIVE') throw conflict(`Only an active enrollment can be paused; this one is ${e.state}.`, 'NOT_ACTIVE');
    const remaining = e.nextDueAt === null ? null : Math.max(0, e.nextDueAt - now);
    const paused = await updateEnrollment(
      tx,
      id,
      { state: 'PAUSED', reason: 'MANUAL', paused_remaining_ms: remaining, lease_owner: null, lease_until: null, updated_at: now },
      { states: ['ACTIVE'] },
    );
    if (!paused) throw conflict('The enrollment changed meanwhile; try again.', 'NOT_ACTIVE');
    await appendEvent(tx, e.contactId, 'SEQUENCE_PAUSED', now, { enrollmentId: id, reason: 'MANUAL' });
    return paused;
  });
}

export async function resumeEnrollment(deps: Deps, id: number): Promise<Enrollment> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const e = await getEnrollment(tx, id);
    if (!e) throw notFound('Enrollment', id);
    if (e.state !== 'PAUSED') throw conflict(`Only a paused enrollment can be resumed; this one is ${e.state}.`, 'NOT_PAUSED');
    const row = await tx.selectFrom('enrollments').select(['paused_remaining_ms', 'next_step_type']).where('id', '=', id).executeTakeFirstOrThrow();
    const sequence = await getSequence(tx, e.sequenceId, { includeDeleted: true });
    // The remaining delay resumes, and an email still waits for its send window (and, for a
    // follow-up, an eligible day) — a resume at night must not send at night.
    let due = e.nextDueAt === null ? null : now + (row.paused_remaining_ms ?? 0);
    if (due !== null && sequence && row.next_step_type === 'EMAIL') {
      due = nextSendableAt(due, scheduleRules(sequence, e.timeZone), e.currentStep > 0);
    }
    const resumed = await updateEnrollment(
      tx,
      id,
      {
        state: 'ACTIVE',
        reason: null,
        next_due_at: due,
        paused_remaining_ms: null,
        updated_at: now,
      },
      { states: ['PAUSED'] },
    );
    if (!resumed) throw conflict('The enrollment changed meanwhile; try again.', 'NOT_PAUSED');
    await appendEvent(tx, e.contactId, 'SEQUENCE_RESUMED', now, { enrollmentId: id });
    return resumed;
  });
}
