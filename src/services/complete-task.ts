import type { Kysely } from 'kysely';
import { followUpDue } from '../domain/schedule.js';
import { getEnrollment, updateEnrollment } from '../store/enrollments.js';
import type { Schema } from '../store/schema.js';
import { getSequence, getSteps } from '../store/sequences.js';
import type { Deps } from './deps.js';
import { conflict, notFound } from './errors.js';
import { recordEvent } from './events.js';
import { scheduleRules } from './schedule-rules.js';
import { atNow } from './unenroll-contact.js';

/**
 * Completes a task. When it is a sequence task step that gates the next step, the next step's
 * delay starts now (PRODUCT §3.1 taskGatesNextStep), in the same transaction.
 */
export async function completeTask(deps: Deps, id: number) {
  return deps.db.transaction(async (tx) => {
    const at = atNow(deps);
    const task = await tx.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
    if (!task) throw notFound('Task', id);
    if (task.status === 'COMPLETED') throw conflict('The task is already completed.', 'TASK_COMPLETED');
    await tx.updateTable('tasks').set({ status: 'COMPLETED', completed_at: at.now }).where('id', '=', id).execute();
    await recordEvent(tx, at, task.contact_id, 'TASK_COMPLETED', { taskId: id, enrollmentId: task.enrollment_id });
    if (task.enrollment_id !== null && task.step_order !== null && task.reason === null) await releaseGate(tx, task.enrollment_id, task.step_order, at.now);
    return { ...task, status: 'COMPLETED', completed_at: at.now };
  });
}

async function releaseGate(tx: Kysely<Schema>, enrollmentId: number, stepOrder: number, now: number): Promise<void> {
  const e = await getEnrollment(tx, enrollmentId);
  // Only an enrollment waiting on exactly this task moves on.
  if (!e || e.state !== 'ACTIVE' || e.nextDueAt !== null || e.currentStep !== stepOrder) return;
  const sequence = await getSequence(tx, e.sequenceId, { includeDeleted: true });
  if (!sequence) return;
  const steps = await getSteps(tx, sequence.id, e.sequenceVersion);
  const next = steps[stepOrder + 1];
  if (!next) return;
  const due = followUpDue(now, next.delayMillis, scheduleRules(sequence, e.timeZone), next.type === 'EMAIL');
  await updateEnrollment(tx, e.id, { current_step: next.stepOrder, next_step_type: next.type, next_due_at: due, updated_at: now }, { states: ['ACTIVE'] });
}
