import type { Enrollment } from '../domain/glossary.js';
import { getEnrollment, getPausedState, updateEnrollment } from '../store/enrollments.js';
import { appendEvent } from '../store/events.js';
import { errors } from './errors.js';
import { nextSendableAt } from '../domain/schedule.js';
import { getSequence } from '../store/sequences.js';
import { scheduleRules } from './schedule-rules.js';
import type { Deps } from './deps.js';
import type { Tx } from '../store/database.js';

/** Pause keeps the remaining delay; resume continues from there (PRODUCT §3.2). */
export async function pauseEnrollment(deps: Deps, id: number): Promise<Enrollment> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const e = await getEnrollment(tx, id);
    if (!e) throw errors.enrollmentNotFound({ id });
    if (e.state !== 'ACTIVE') throw errors.pauseNotActive({ state: e.state });
    const remaining = e.nextDueAt === null ? null : Math.max(0, e.nextDueAt - now);
    const paused = await updateEnrollment(
      tx,
      id,
      { state: 'PAUSED', reason: 'MANUAL', paused_remaining_ms: remaining, lease_owner: null, lease_until: null, updated_at: now },
      { states: ['ACTIVE'] },
    );
    if (!paused) throw errors.enrollmentChanged({ action: 'pause' });
    await appendEvent(tx, e.contactId, 'SEQUENCE_PAUSED', now, { enrollmentId: id, reason: 'MANUAL' });
    return paused;
  });
}

export async function resumeEnrollment(deps: Deps, id: number): Promise<Enrollment> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const e = await getEnrollment(tx, id);
    if (!e) throw errors.enrollmentNotFound({ id });
    if (e.state !== 'PAUSED') throw errors.resumeNotPaused({ state: e.state });
    const resumed = await resumeIn(tx, e, now);
    if (!resumed) throw errors.enrollmentChanged({ action: 'resume' });
    await appendEvent(tx, e.contactId, 'SEQUENCE_RESUMED', now, { enrollmentId: id });
    return resumed;
  });
}

/** Resumes a paused enrollment inside the caller's transaction; null when it is no longer paused (or `guard` does not hold). */
export async function resumeIn(tx: Tx, e: Enrollment, now: number, guard: { reason?: string } = {}): Promise<Enrollment | null> {
  const id = e.id;
  const row = await getPausedState(tx, id);
  if (!row) return null;
  const sequence = await getSequence(tx, e.sequenceId, { includeDeleted: true });
  // The remaining delay resumes, and an email still waits for its send window (and, for a
  // follow-up, an eligible day) — a resume at night must not send at night.
  let due = e.nextDueAt === null ? null : now + (row.remainingMs ?? 0);
  if (due !== null && sequence && row.nextStepType === 'EMAIL') {
    due = nextSendableAt(due, await scheduleRules(tx, sequence, e.timeZone, e.senderUserId), e.currentStep > 0);
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
    { states: ['PAUSED'], ...guard },
  );
  return resumed;
}
