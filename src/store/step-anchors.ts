import type { Enrollment } from '../domain/glossary.js';
import type { Db } from './database.js';
import { toEnrollment } from './enrollments.js';

/** Running, unclaimed enrollments of these sequences that wait for a step. */
export async function waitingEnrollments(db: Db, sequenceIds: number[]): Promise<Enrollment[]> {
  if (sequenceIds.length === 0) return [];
  const rows = await db
    .selectFrom('enrollments')
    .selectAll()
    .where('sequence_id', 'in', sequenceIds)
    .where('state', '=', 'ACTIVE')
    .where('lease_owner', 'is', null)
    .where('next_due_at', 'is not', null)
    .execute();
  return rows.map(toEnrollment);
}

/** When a step of an enrollment was done, which the next step's delay counts from: its email's send, or its task's completion; null when not known. */
export async function stepDoneAt(db: Db, enrollmentId: number, stepOrder: number): Promise<number | null> {
  const sent = await db
    .selectFrom('sends')
    .select('sent_at')
    .where('enrollment_id', '=', enrollmentId)
    .where('step_order', '=', stepOrder)
    .where('sent_at', 'is not', null)
    .executeTakeFirst();
  if (sent?.sent_at != null) return Number(sent.sent_at);
  const task = await db
    .selectFrom('tasks')
    .select('completed_at')
    .where('enrollment_id', '=', enrollmentId)
    .where('step_order', '=', stepOrder)
    .where('completed_at', 'is not', null)
    .executeTakeFirst();
  return task?.completed_at != null ? Number(task.completed_at) : null;
}

/** Moves a waiting step's due time, unless a worker has claimed the enrollment or it moved on meanwhile. */
export async function moveWaitingStep(db: Db, id: number, currentStep: number, dueAt: number, now: number): Promise<void> {
  await db
    .updateTable('enrollments')
    .set({ next_due_at: dueAt, updated_at: now })
    .where('id', '=', id)
    .where('state', '=', 'ACTIVE')
    .where('lease_owner', 'is', null)
    .where('current_step', '=', currentStep)
    .execute();
}
