import type { FastifyInstance } from 'fastify';
import type { Sequence, Step } from '../../domain/glossary.js';
import { createSequence, deleteSequence, getSequenceWithSteps, listSequencesPage, updateSequence } from '../../services/sequences.js';
import { errors, fieldError } from '../../services/errors.js';
import { userExists } from '../../services/users.js';
import type { AppContext } from '../context.js';
import { sequences } from '../../schemas/index.js';
import { idParam, iso, parse } from '../validate.js';

/** HubSpot's PublicSequenceLiteResponse. */
export const sequenceLite = (s: Sequence) => ({
  id: String(s.id),
  name: s.name,
  userId: String(s.userId),
  createdAt: iso(s.createdAt),
  updatedAt: iso(s.updatedAt),
});

/** HubSpot's PublicSequenceResponse; the email subject and body ride along as extra fields. */
export function sequenceFull(s: Sequence, steps: Step[]) {
  const stamp = { createdAt: iso(s.createdAt), updatedAt: iso(s.updatedAt) };
  return {
    ...sequenceLite(s),
    settings: {
      id: String(s.id),
      ...stamp,
      ...s.settings,
      ...(s.settings.scheduleId != null && { scheduleId: String(s.settings.scheduleId) }),
      taskReminderMinute: s.settings.sendWindowStartMinute,
      individualTaskRemindersEnabled: false,
    },
    steps: steps.map((st) => {
      const stepStamp = { createdAt: iso(st.createdAt), updatedAt: iso(st.createdAt) };
      return {
        id: String(st.id),
        stepOrder: st.stepOrder,
        delayMillis: st.delayMillis,
        actionType: st.type === 'EMAIL' ? 'EMAIL' : 'TASK',
        ...stepStamp,
        ...(st.type === 'EMAIL'
          ? { emailPattern: { id: String(st.id), templateId: String(st.id), threadEmailToStepOrder: st.threadToStepOrder, subject: st.subject, body: st.body, sourceTemplateId: st.templateId === null ? null : String(st.templateId), ...stepStamp } }
          : { taskPattern: { id: String(st.id), taskType: st.taskType, taskPriority: st.taskPriority, subject: st.subject, notes: st.body, ...stepStamp } }),
      };
    }),
    dependencies: steps
      .filter((st) => st.type === 'TASK' && st.taskGatesNextStep && steps[st.stepOrder + 1])
      .map((st) => ({
        id: `${st.id}-${steps[st.stepOrder + 1].id}`,
        dependencyType: 'TASK_COMPLETION',
        reliesOnStepOrder: st.stepOrder,
        requiredByStepOrder: st.stepOrder + 1,
        reliesOnSequenceStepId: String(st.id),
        requiredBySequenceStepId: String(steps[st.stepOrder + 1].id),
        ...stamp,
      })),
  };
}

/** HubSpot's date-versioned paths share the v4 shapes (hubspot-api.md §3.1). */
export const SEQUENCE_BASES = ['/automation/v4/sequences', '/automation/sequences/2025-09', '/automation/sequences/2026-03', '/automation/sequences/2026-09'];

export function registerSequenceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  app.post('/seqflow/v1/sequences', async (req, reply) => {
    const body = parse(sequences.sequenceBody, req.body, 'body');
    // Checked here too so the answer names the field (the service knows no request fields);
    // the message quotes the id as sent, since numericId maps one past MAX_ID to a row-less 0.
    if (!(await userExists(deps, body.userId))) throw errors.userNotFound({ id: String((req.body as { userId: unknown }).userId), field: 'userId' });
    const { sequence, steps } = await createSequence(deps, body);
    return reply.status(201).send(sequenceFull(sequence, steps));
  });
  app.put('/seqflow/v1/sequences/:id', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const body = parse(sequences.sequenceUpdateBody, req.body, 'body');
    const { sequence, steps } = await updateSequence(deps, id, body);
    return sequenceFull(sequence, steps);
  });
  app.delete('/seqflow/v1/sequences/:id', async (req, reply) => {
    const { id } = parse(idParam, req.params, 'path');
    const q = parse(sequences.deleteSequenceQuery, req.query, 'query');
    await deleteSequence(deps, id, q.overrideActiveEnrollment === 'true');
    return reply.status(204).send();
  });
  for (const base of SEQUENCE_BASES) {
    app.get(base, async (req) => {
      const q = parse(sequences.sequencesQuery, req.query, 'query');
      if (q.userId === undefined) throw fieldError('userId', 'userId is required.');
      const { total, results } = await listSequencesPage(deps, { userId: q.userId, name: q.name, after: q.after, limit: q.limit + 1 });
      return {
        total,
        results: results.slice(0, q.limit).map(sequenceLite),
        ...(results.length > q.limit && { paging: { next: { after: String(results[q.limit - 1].id) } } }),
      };
    });
    app.get(`${base}/:id`, async (req) => {
      const { id } = parse(idParam, req.params, 'path');
      const q = parse(sequences.sequencesQuery, req.query, 'query');
      if (q.userId === undefined) throw fieldError('userId', 'userId is required.');
      const { sequence, steps } = await getSequenceWithSteps(deps, id);
      return sequenceFull(sequence, steps);
    });
  }
}
