import type { Db } from './database.js';

/** A report's window: epoch ms, `from` inclusive, `to` exclusive; `senderUserId` narrows to one sender's enrollments. */
export interface ReportWindow {
  sequenceId: number;
  from: number;
  to: number;
  senderUserId?: number;
}

export interface StepSenderCount {
  stepOrder: number;
  senderUserId: number;
  n: number;
}

/** Enrollments that ended for `reason`, by the last step attempted before the end (null: none was). */
export interface EndCount {
  reason: string;
  senderUserId: number;
  lastStepOrder: number | null;
  n: number;
}

export interface TaskCount extends StepSenderCount {
  status: string;
}

const num = (v: unknown) => Number(v);

/** Emails that reached the recipient's server in the window, by step and sender. */
export async function countSentEmails(db: Db, w: ReportWindow): Promise<StepSenderCount[]> {
  let q = db
    .selectFrom('sends as s')
    .innerJoin('enrollments as e', 'e.id', 's.enrollment_id')
    .select(['s.step_order', 'e.sender_user_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('e.sequence_id', '=', w.sequenceId)
    .where('s.status', '=', 'SENT')
    .where('s.sent_at', '>=', w.from)
    .where('s.sent_at', '<', w.to);
  if (w.senderUserId !== undefined) q = q.where('e.sender_user_id', '=', w.senderUserId);
  const rows = await q.groupBy(['s.step_order', 'e.sender_user_id']).execute();
  return rows.map((r) => ({ stepOrder: r.step_order, senderUserId: r.sender_user_id, n: num(r.n) }));
}

/**
 * Enrollments that ended in the window, by end reason, sender and the highest step whose email
 * was attempted before the end: step orders only grow within one enrollment, so that is the
 * latest email the contact had when they replied, bounced or unsubscribed.
 */
export async function countEndsByLastStep(db: Db, w: ReportWindow): Promise<EndCount[]> {
  let perEnrollment = db
    .selectFrom('enrollments as e')
    .leftJoin('sends as s', (join) =>
      join
        .onRef('s.enrollment_id', '=', 'e.id')
        .onRef('s.attempted_at', '<=', 'e.ended_at')
        // A send still waiting to retry was never handed over: nothing to reply to.
        .on('s.status', 'in', ['SENT', 'UNCERTAIN', 'FAILED']),
    )
    .select(['e.id', 'e.reason', 'e.sender_user_id', (eb) => eb.fn.max('s.step_order').as('last_step')])
    .where('e.sequence_id', '=', w.sequenceId)
    .where('e.reason', 'is not', null)
    .where('e.ended_at', '>=', w.from)
    .where('e.ended_at', '<', w.to);
  if (w.senderUserId !== undefined) perEnrollment = perEnrollment.where('e.sender_user_id', '=', w.senderUserId);
  const rows = await db
    .selectFrom(perEnrollment.groupBy(['e.id', 'e.reason', 'e.sender_user_id']).as('x'))
    .select(['x.reason', 'x.sender_user_id', 'x.last_step', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['x.reason', 'x.sender_user_id', 'x.last_step'])
    .execute();
  return rows.map((r) => ({
    reason: r.reason!,
    senderUserId: r.sender_user_id,
    lastStepOrder: r.last_step === null || r.last_step === undefined ? null : num(r.last_step),
    n: num(r.n),
  }));
}

/** Tasks of task steps (not the tasks a pause creates) created in the window, by step, sender and status now. */
export async function countTasksCreated(db: Db, w: ReportWindow): Promise<TaskCount[]> {
  let q = db
    .selectFrom('tasks as t')
    .innerJoin('enrollments as e', 'e.id', 't.enrollment_id')
    .select(['t.step_order', 'e.sender_user_id', 't.status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('e.sequence_id', '=', w.sequenceId)
    .where('t.step_order', 'is not', null)
    .where('t.reason', 'is', null)
    .where('t.created_at', '>=', w.from)
    .where('t.created_at', '<', w.to);
  if (w.senderUserId !== undefined) q = q.where('e.sender_user_id', '=', w.senderUserId);
  const rows = await q.groupBy(['t.step_order', 'e.sender_user_id', 't.status']).execute();
  return rows.map((r) => ({ stepOrder: r.step_order!, senderUserId: r.sender_user_id, status: r.status, n: num(r.n) }));
}

/** Tasks of task steps completed in the window, by step and sender. */
export async function countTasksCompleted(db: Db, w: ReportWindow): Promise<StepSenderCount[]> {
  let q = db
    .selectFrom('tasks as t')
    .innerJoin('enrollments as e', 'e.id', 't.enrollment_id')
    .select(['t.step_order', 'e.sender_user_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('e.sequence_id', '=', w.sequenceId)
    .where('t.step_order', 'is not', null)
    .where('t.reason', 'is', null)
    .where('t.status', '=', 'COMPLETED')
    .where('t.completed_at', '>=', w.from)
    .where('t.completed_at', '<', w.to);
  if (w.senderUserId !== undefined) q = q.where('e.sender_user_id', '=', w.senderUserId);
  const rows = await q.groupBy(['t.step_order', 'e.sender_user_id']).execute();
  return rows.map((r) => ({ stepOrder: r.step_order!, senderUserId: r.sender_user_id, n: num(r.n) }));
}

/** The emails of users, by id (deleted users too: their old enrollments still report). */
export async function userEmails(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'email']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.email]));
}
