import type { Selectable } from 'kysely';
import type { Db } from './database.js';
import type { TasksTable } from './schema.js';
import type { CallOutcome, Task, TaskPriority, TaskStatus, TaskType } from '../domain/glossary.js';

export async function insertTask(
  db: Db,
  t: {
    userId: number;
    contactId: number;
    enrollmentId: number | null;
    stepOrder: number | null;
    type: TaskType;
    subject: string;
    notes: string;
    reason: string | null;
    dueAt: number;
    priority?: TaskPriority | null;
  },
  now: number,
): Promise<number> {
  const r = await db
    .insertInto('tasks')
    .values({
      user_id: t.userId,
      contact_id: t.contactId,
      enrollment_id: t.enrollmentId,
      step_order: t.stepOrder,
      type: t.type,
      subject: t.subject,
      notes: t.notes,
      status: 'OPEN',
      reason: t.reason,
      due_at: t.dueAt,
      created_at: now,
      priority: t.priority ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** A task as the queue shows it: with the sequence its enrollment belongs to. */
export type QueuedTask = Task & { sequenceId: number | null };

export interface TaskFilter {
  id?: number;
  userId?: number;
  enrollmentId?: number;
  contactId?: number;
  sequenceId?: number;
  statuses?: TaskStatus[];
  /** Due in [dueFrom, dueBefore). */
  dueFrom?: number;
  dueBefore?: number;
  /** Leaves out tasks snoozed beyond this instant. */
  awakeAt?: number;
  /** Tasks with a greater id (HubSpot's `after` cursor), in id order. */
  afterId?: number;
  limit?: number;
}

/** Tasks by due time (then id), or by id when paging with `afterId`. */
export async function listTasks(db: Db, filter: TaskFilter): Promise<QueuedTask[]> {
  let q = db.selectFrom('tasks').leftJoin('enrollments', 'enrollments.id', 'tasks.enrollment_id').selectAll('tasks').select('enrollments.sequence_id');
  if (filter.id !== undefined) q = q.where('tasks.id', '=', filter.id);
  if (filter.userId !== undefined) q = q.where('tasks.user_id', '=', filter.userId);
  if (filter.enrollmentId !== undefined) q = q.where('tasks.enrollment_id', '=', filter.enrollmentId);
  if (filter.contactId !== undefined) q = q.where('tasks.contact_id', '=', filter.contactId);
  if (filter.sequenceId !== undefined) q = q.where('enrollments.sequence_id', '=', filter.sequenceId);
  if (filter.statuses) q = q.where('tasks.status', 'in', filter.statuses);
  if (filter.dueFrom !== undefined) q = q.where('tasks.due_at', '>=', filter.dueFrom);
  if (filter.dueBefore !== undefined) q = q.where('tasks.due_at', '<', filter.dueBefore);
  if (filter.awakeAt !== undefined) {
    const at = filter.awakeAt;
    q = q.where((eb) => eb.or([eb('tasks.snoozed_until', 'is', null), eb('tasks.snoozed_until', '<=', at)]));
  }
  if (filter.afterId !== undefined) q = q.where('tasks.id', '>', filter.afterId).orderBy('tasks.id');
  else q = q.orderBy('tasks.due_at').orderBy('tasks.id');
  if (filter.limit !== undefined) q = q.limit(filter.limit);
  const rows = await q.execute();
  return rows.map((r) => ({ ...toTask(r), sequenceId: r.sequence_id ?? null }));
}

export async function getTask(db: Db, id: number): Promise<Task | null> {
  const r = await db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toTask(r) : null;
}

/** The task a sequence's task step created (not one of the pauses' tasks). */
export async function getStepTask(db: Db, enrollmentId: number, stepOrder: number): Promise<(Task & { email: ComposedEmail | null }) | null> {
  const r = await db
    .selectFrom('tasks')
    .selectAll()
    .where('enrollment_id', '=', enrollmentId)
    .where('step_order', '=', stepOrder)
    .where('reason', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!r) return null;
  const email = r.send_requested_at !== null && r.email_subject !== null ? { subject: r.email_subject, html: r.email_html ?? '', text: r.email_text ?? '' } : null;
  return { ...toTask(r), email };
}

export interface ComposedEmail {
  subject: string;
  html: string;
  text: string;
}

/**
 * Closes an open task (COMPLETED or SKIPPED) with what the rep recorded. Only an open task whose
 * email is not on its way: false when another request got there first.
 */
export async function closeTask(
  db: Db,
  id: number,
  close: { status: Exclude<TaskStatus, 'OPEN'>; callOutcome?: CallOutcome | null; note?: string | null },
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('tasks')
    .set({ status: close.status, completed_at: now, call_outcome: close.callOutcome ?? null, completion_note: close.note ?? null })
    .where('id', '=', id)
    .where('status', '=', 'OPEN')
    .where('send_requested_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Marks a task completed at `now`. */
export async function markTaskCompleted(db: Db, id: number, now: number): Promise<void> {
  await db.updateTable('tasks').set({ status: 'COMPLETED', completed_at: now }).where('id', '=', id).execute();
}

/** Hides a task from the queue until `until`, when it is due. */
export async function snoozeTask(db: Db, id: number, until: number): Promise<boolean> {
  const r = await db.updateTable('tasks').set({ snoozed_until: until, due_at: until }).where('id', '=', id).where('status', '=', 'OPEN').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Keeps the email the rep composed for the worker to send; false when one was queued already. */
export async function requestTaskSend(db: Db, id: number, email: ComposedEmail, now: number): Promise<boolean> {
  const r = await db
    .updateTable('tasks')
    .set({ send_requested_at: now, email_subject: email.subject, email_html: email.html, email_text: email.text })
    .where('id', '=', id)
    .where('status', '=', 'OPEN')
    .where('send_requested_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The step's email failed for good: its manual email task is no longer queued. */
export async function clearTaskSendRequest(db: Db, enrollmentId: number, stepOrder: number): Promise<void> {
  await db
    .updateTable('tasks')
    .set({ send_requested_at: null })
    .where('enrollment_id', '=', enrollmentId)
    .where('step_order', '=', stepOrder)
    .where('reason', 'is', null)
    // A queued manual email whose enrollment ended while the worker was sending it was sent after all.
    .where((eb) => eb.or([eb('status', '=', 'OPEN'), eb('closed_reason', 'is not', null)]))
    .execute();
}

/** The step's email went out: its manual email task is done. */
export async function completeStepTask(db: Db, enrollmentId: number, stepOrder: number, now: number): Promise<void> {
  await db
    .updateTable('tasks')
    .set({ status: 'COMPLETED', completed_at: now })
    .where('enrollment_id', '=', enrollmentId)
    .where('step_order', '=', stepOrder)
    .where('reason', 'is', null)
    // A queued manual email whose enrollment ended while the worker was sending it was sent after all.
    .where((eb) => eb.or([eb('status', '=', 'OPEN'), eb('closed_reason', 'is not', null)]))
    .execute();
}

const toTask = (r: Selectable<TasksTable>): Task => ({
  id: r.id,
  userId: r.user_id,
  contactId: r.contact_id,
  enrollmentId: r.enrollment_id,
  stepOrder: r.step_order,
  type: r.type as TaskType,
  subject: r.subject,
  notes: r.notes,
  status: r.status as TaskStatus,
  reason: r.reason,
  dueAt: Number(r.due_at),
  createdAt: Number(r.created_at),
  completedAt: r.completed_at === null ? null : Number(r.completed_at),
  priority: r.priority as TaskPriority | null,
  snoozedUntil: r.snoozed_until === null ? null : Number(r.snoozed_until),
  callOutcome: r.call_outcome as CallOutcome | null,
  completionNote: r.completion_note,
  closedReason: r.closed_reason,
  sendRequestedAt: r.send_requested_at === null ? null : Number(r.send_requested_at),
});

/** Completes the open tasks an automatic pause created for an enrollment once Seqflow settled the cause itself. */
export async function completeOpenTasks(db: Db, filter: { enrollmentId: number; reason: string }, now: number): Promise<number> {
  const r = await db
    .updateTable('tasks')
    .set({ status: 'COMPLETED', completed_at: now })
    .where('enrollment_id', '=', filter.enrollmentId)
    .where('reason', '=', filter.reason)
    .where('status', '=', 'OPEN')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Closes every open task of an enrollment that ended (a reply, bounce, unsubscribe, unenroll): the
 * work is moot, so the queue no longer shows it. SKIPPED, as HubSpot's queue drops them, with why.
 */
export async function closeEnrollmentTasks(db: Db, enrollmentId: number, reason: string, now: number): Promise<number> {
  const r = await db
    .updateTable('tasks')
    .set({ status: 'SKIPPED', completed_at: now, closed_reason: reason })
    .where('enrollment_id', '=', enrollmentId)
    .where('status', '=', 'OPEN')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
