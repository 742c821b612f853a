import type { Selectable } from 'kysely';
import type { Db } from './database.js';
import type { TasksTable } from './schema.js';
import type { Task, TaskType } from '../domain/glossary.js';

export async function insertTask(
  db: Db,
  t: { userId: number; contactId: number; enrollmentId: number | null; stepOrder: number | null; type: TaskType; subject: string; notes: string; reason: string | null; dueAt: number },
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
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function listTasks(db: Db, filter: { userId?: number; enrollmentId?: number }): Promise<Task[]> {
  let q = db.selectFrom('tasks').selectAll();
  if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
  if (filter.enrollmentId !== undefined) q = q.where('enrollment_id', '=', filter.enrollmentId);
  const rows = await q.orderBy('id').execute();
  return rows.map(toTask);
}

export async function getTask(db: Db, id: number): Promise<Task | null> {
  const r = await db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toTask(r) : null;
}

/** Marks a task completed at `now`. */
export async function markTaskCompleted(db: Db, id: number, now: number): Promise<void> {
  await db.updateTable('tasks').set({ status: 'COMPLETED', completed_at: now }).where('id', '=', id).execute();
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
    status: r.status as Task['status'],
    reason: r.reason,
    dueAt: r.due_at,
    createdAt: r.created_at,
    completedAt: r.completed_at,
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
