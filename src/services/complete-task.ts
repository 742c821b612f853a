import { followUpDue } from '../domain/schedule.js';
import { CALL_OUTCOME_LABELS, type CallOutcome, type Task } from '../domain/glossary.js';
import { getEnrollment, updateEnrollment } from '../store/enrollments.js';
import type { Tx } from '../store/database.js';
import { getSequence, getSteps } from '../store/sequences.js';
import { closeTask, getTask, snoozeTask as storeSnooze } from '../store/tasks.js';
import type { Deps } from './deps.js';
import { errors, fieldError } from './errors.js';
import { recordEvent, type At } from './events.js';
import { scheduleRules } from './schedule-rules.js';
import { finishIn } from './run-sequence-step.js';
import { atNow } from './unenroll-contact.js';

export interface TaskWork {
  /** What the rep wrote: it goes on the contact's timeline. */
  note?: string;
  /** A call task's outcome. */
  callOutcome?: CallOutcome;
}

/**
 * Completes a task with the rep's note (a call task with its outcome: the call is logged on the
 * contact's timeline). When it is a sequence task step that gates the next step, the next step's
 * delay starts now (PRODUCT §3.1 taskGatesNextStep), in the same transaction.
 */
export async function completeTask(deps: Deps, id: number, work: TaskWork = {}): Promise<Task> {
  return closeAndRelease(deps, id, 'COMPLETED', work);
}

/** Passes a task over: the sequence goes on as if it were done, and the timeline says it was skipped. */
export async function skipTask(deps: Deps, id: number, work: Pick<TaskWork, 'note'> = {}): Promise<Task> {
  return closeAndRelease(deps, id, 'SKIPPED', work);
}

/** Hides an open task from the queue until `until`, when it is due again. */
export async function snoozeTask(deps: Deps, id: number, until: number): Promise<Task> {
  return deps.db.transaction(async (tx) => {
    const task = await openTask(tx, id);
    if (until <= deps.clock.now()) throw fieldError('until', 'A task is snoozed until a time in the future.');
    if (!(await storeSnooze(tx, id, until))) throw errors.taskNotOpen({ status: 'changed meanwhile' });
    return { ...task, snoozedUntil: until, dueAt: until };
  });
}

/** The task, if it can still be worked. */
export async function openTask(tx: Tx, id: number): Promise<Task> {
  const task = await getTask(tx, id);
  if (!task) throw errors.taskNotFound({ id });
  if (task.status === 'COMPLETED') throw errors.taskCompleted();
  if (task.status !== 'OPEN') throw errors.taskNotOpen({ status: task.status });
  if (task.sendRequestedAt !== null) throw errors.taskEmailQueued();
  return task;
}

async function closeAndRelease(deps: Deps, id: number, status: 'COMPLETED' | 'SKIPPED', work: TaskWork): Promise<Task> {
  return deps.db.transaction(async (tx) => {
    const at = atNow(deps);
    const task = await openTask(tx, id);
    if (work.callOutcome && task.type !== 'CALL') throw fieldError('callOutcome', `Only a call task has an outcome; this one is a ${task.type} task.`);
    const note = work.note?.trim() || null;
    if (!(await closeTask(tx, id, { status, callOutcome: work.callOutcome ?? null, note }, at.now))) throw errors.taskNotOpen({ status: 'changed meanwhile' });
    await recordEvent(tx, at, task.contactId, eventType(task, status, work), {
      taskId: id,
      enrollmentId: task.enrollmentId,
      task: task.subject,
      ...(work.callOutcome && { outcome: CALL_OUTCOME_LABELS[work.callOutcome] }),
      ...(note && { note }),
    });
    if (task.enrollmentId !== null && task.stepOrder !== null && task.reason === null) await releaseGate(tx, at, task.enrollmentId, task.stepOrder);
    return { ...task, status, completedAt: at.now, callOutcome: work.callOutcome ?? null, completionNote: note };
  });
}

const eventType = (task: Task, status: 'COMPLETED' | 'SKIPPED', work: TaskWork): string => {
  if (status === 'SKIPPED') return 'TASK_SKIPPED';
  return task.type === 'CALL' && work.callOutcome ? 'CALL_LOGGED' : 'TASK_COMPLETED';
};

async function releaseGate(tx: Tx, at: At, enrollmentId: number, stepOrder: number): Promise<void> {
  const e = await getEnrollment(tx, enrollmentId);
  // Only an enrollment waiting on exactly this task moves on.
  if (!e || e.state !== 'ACTIVE' || e.nextDueAt !== null || e.currentStep !== stepOrder) return;
  const sequence = await getSequence(tx, e.sequenceId, { includeDeleted: true });
  if (!sequence) return;
  const steps = await getSteps(tx, sequence.id, e.sequenceVersion);
  const next = steps[stepOrder + 1];
  // Only a manual email waits as the last step: done with it, the sequence is finished.
  if (!next) return void (await finishIn(tx, e, at.now, at.zone));
  const due = followUpDue(at.now, next.delayMillis, await scheduleRules(tx, sequence, e.timeZone, e.senderUserId), next.type === 'EMAIL');
  await updateEnrollment(tx, e.id, { current_step: next.stepOrder, next_step_type: next.type, next_due_at: due, updated_at: at.now }, { states: ['ACTIVE'] });
}
