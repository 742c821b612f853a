import type { FastifyInstance } from 'fastify';
import { completeTask, skipTask, snoozeTask } from '../../services/complete-task.js';
import { draftTaskEmail, fillPlaceholders, sendTaskEmail } from '../../services/manual-email.js';
import { readTaskQueue, queueEntry, type QueueEntry } from '../../services/task-queue.js';
import { sendsOf } from '../../services/enrollments.js';
import { tasks } from '../../schemas/index.js';
import type { AppContext } from '../context.js';
import { enrollmentView } from '../hubspot/enrollments.js';
import { idParam, iso, parse } from '../validate.js';

const orNull = (ms: number | null) => (ms === null ? null : iso(ms));

export const taskView = (t: QueueEntry) => ({
  id: String(t.id),
  userId: t.userId,
  contactId: t.contactId,
  enrollmentId: t.enrollmentId,
  sequenceId: t.sequenceId,
  stepOrder: t.stepOrder,
  type: t.type,
  subject: t.subject,
  notes: t.notes,
  status: t.status,
  reason: t.reason,
  priority: t.priority,
  dueAt: iso(t.dueAt),
  section: t.section,
  snoozedUntil: orNull(t.snoozedUntil),
  createdAt: iso(t.createdAt),
  completedAt: orNull(t.completedAt),
  callOutcome: t.callOutcome,
  completionNote: t.completionNote,
  closedReason: t.closedReason,
  sendRequestedAt: orNull(t.sendRequestedAt),
});

/** The rep's task queue (issue #14 item 2): list, work (complete, log a call, skip, snooze) and manual emails. */
export function registerTaskRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  const view = async (id: number) => taskView(await queueEntry(deps, id));
  app.get('/seqflow/v1/tasks', async (req) => {
    const q = parse(tasks.queueQuery, req.query, 'query');
    const reader = { admin: req.principal?.admin ?? false, userId: req.principal?.userId ?? null };
    const list = await readTaskQueue(deps, reader, { ...q, includeSnoozed: q.includeSnoozed === 'true' });
    return { results: list.map(taskView) };
  });
  app.post('/seqflow/v1/tasks/:id/complete', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    await completeTask(deps, id, parse(tasks.completeBody, req.body ?? {}, 'body'));
    return view(id);
  });
  app.post('/seqflow/v1/tasks/:id/skip', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    await skipTask(deps, id, parse(tasks.skipBody, req.body ?? {}, 'body'));
    return view(id);
  });
  app.post('/seqflow/v1/tasks/:id/snooze', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const body = parse(tasks.snoozeBody, req.body, 'body');
    await snoozeTask(deps, id, Date.parse(body.until));
    return view(id);
  });
  app.get('/seqflow/v1/tasks/:id/draft', async (req) => draftTaskEmail(deps, parse(idParam, req.params, 'path').id));
  app.post('/seqflow/v1/tasks/:id/send', async (req, reply) => {
    const { id } = parse(idParam, req.params, 'path');
    const answer = await sendTaskEmail(deps, id, parse(tasks.sendBody, req.body, 'body'));
    // 202: the worker sends it; the task completes when the server has accepted it.
    return reply.status(202).send({ task: await view(id), queued: answer.queued });
  });
  app.post('/seqflow/v1/tasks/:id/placeholders', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const e = await fillPlaceholders(deps, id, parse(tasks.fillBody, req.body, 'body').placeholderValues);
    return enrollmentView(e, await sendsOf(deps, [e.id]));
  });
}
