import { followUpDue } from '../domain/schedule.js';
import { getEnrollment, updateEnrollment } from '../store/enrollments.js';
import type { Tx } from '../store/database.js';
import { getSequence, getSteps } from '../store/sequences.js';
import { getTask, markTaskCompleted } from '../store/tasks.js';
import type { Task } from '../domain/glossary.js';
import type { Deps } from './deps.js';
import { errors } from './errors.js';
import { recordEvent } from './events.js';
import { scheduleRules } from './schedule-rules.js';
import { atNow } from './unenroll-contact.js';

/**
 * Completes a task. When it is a sequence task step that gates the next step, the next step's
 * delay starts now (PRODUCT §3.1 taskGatesNextStep), in the same transaction.
 */
export async function completeTask(deps: Deps, id: number): Promise<Task> {
  return deps.db.transaction(async (tx) => {
    const at = atNow(deps);
    const task = await getTask(tx, id);
    if (!task) throw errors.taskNotFound({ id });
    if (task.status === 'COMPLETED') throw errors.taskCompleted();
    await markTaskCompleted(tx, id, at.now);
    await recordEvent(tx, at, task.contactId, 'TASK_COMPLETED', { taskId: id, enrollmentId: task.enrollmentId });
    if (task.enrollmentId !== null && task.stepOrder !== null && task.reason === null) await releaseGate(tx, task.enrollmentId, task.stepOrder, at.now);
    return { ...task, status: 'COMPLETED', completedAt: at.now };
  });
}

async function releaseGate(tx: Tx, enrollmentId: number, stepOrder: number, now: number): Promise<void> {
  const e = await getEnrollment(tx, enrollmentId);
  // Only an enrollment waiting on exactly this task moves on.
  if (!e || e.state !== 'ACTIVE' || e.nextDueAt !== null || e.currentStep !== stepOrder) return;
  const sequence = await getSequence(tx, e.sequenceId, { includeDeleted: true });
  if (!sequence) return;
  const steps = await getSteps(tx, sequence.id, e.sequenceVersion);
  const next = steps[stepOrder + 1];
  if (!next) return;
  const due = followUpDue(now, next.delayMillis, await scheduleRules(tx, sequence, e.timeZone, e.senderUserId), next.type === 'EMAIL');
  await updateEnrollment(tx, e.id, { current_step: next.stepOrder, next_step_type: next.type, next_due_at: due, updated_at: now }, { states: ['ACTIVE'] });
}
