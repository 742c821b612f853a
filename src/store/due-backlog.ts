import type { Db } from './database.js';
import { ofEnabledWorkflow } from './workflows.js';

/** Due work not yet done, of one kind: how many items and the oldest due time among them. */
export interface Backlog {
  due: number;
  oldestDueAt: number | null;
}

/**
 * Sequence steps and workflow actions whose due time has come (claimed ones included: they are
 * not done yet). Read from the database, so with several workers on one PostgreSQL it is the
 * whole cluster's backlog.
 */
export async function dueBacklog(db: Db, now: number): Promise<{ sequenceSteps: Backlog; workflowActions: Backlog }> {
  const steps = await db
    .selectFrom('enrollments')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min<number>('next_due_at').as('oldest')])
    .where('state', '=', 'ACTIVE')
    .where('next_due_at', '<=', now)
    .executeTakeFirstOrThrow();
  const actions = await db
    .selectFrom('workflow_runs')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min<number>('next_due_at').as('oldest')])
    .where('state', '=', 'RUNNING')
    .where('next_due_at', '<=', now)
    .where(ofEnabledWorkflow)
    .executeTakeFirstOrThrow();
  const backlog = (r: { n: number; oldest: number | null }): Backlog => ({ due: Number(r.n), oldestDueAt: r.oldest == null ? null : Number(r.oldest) });
  return { sequenceSteps: backlog(steps), workflowActions: backlog(actions) };
}
