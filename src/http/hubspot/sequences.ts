import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { FOLLOW_UP_DAYS, SELLING_STRATEGIES, TASK_TYPES, type Sequence, type Step } from '../../domain/glossary.js';
import { createSequence, deleteSequence, getSequenceWithSteps, listSequencesPage, updateSequence } from '../../services/sequences.js';
import { errors, fieldError } from '../../services/errors.js';
import { userExists } from '../../services/users.js';
import type { AppContext } from '../context.js';
import { cursor, idParam, iso, numericId, parse } from '../validate.js';

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
          ? { emailPattern: { id: String(st.id), templateId: String(st.id), threadEmailToStepOrder: st.threadToStepOrder, subject: st.subject, body: st.body, ...stepStamp } }
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

const minute = z.number().int().min(0).max(1440);
const settingsBody = z
  .object({
    eligibleFollowUpDays: z.enum(FOLLOW_UP_DAYS),
    sendWindowStartMinute: minute,
    sendWindowEndMinute: minute,
    useThreadedFollowUps: z.boolean(),
    unenrollOnReply: z.boolean(),
    unenrollOnMeeting: z.boolean(),
    sellingStrategy: z.enum(SELLING_STRATEGIES),
  })
  .partial()
  .strict();
const stepBody = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('EMAIL'),
    delayMillis: z.number().int().min(0),
    subject: z.string().max(998),
    body: z.string().min(1).max(200_000),
    threadToStepOrder: z.number().int().min(0).nullable().optional(),
  }),
  z.object({
    type: z.literal('TASK'),
    delayMillis: z.number().int().min(0),
    subject: z.string().max(998).default(''),
    body: z.string().max(200_000).default(''),
    taskType: z.enum(TASK_TYPES).default('TODO'),
    taskPriority: z.enum(['NONE', 'LOW', 'MEDIUM', 'HIGH']).default('NONE'),
    taskGatesNextStep: z.boolean().default(true),
  }),
]);
const sequenceBody = z.object({
  name: z.string().trim().min(1).max(500),
  userId: numericId,
  settings: settingsBody.optional(),
  steps: z.array(stepBody).min(1),
});
const listQuery = z.object({
  userId: numericId.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(100),
  after: cursor,
  name: z.string().optional(),
});
const deleteQuery = z.object({ overrideActiveEnrollment: z.enum(['true', 'false']).default('false') });

/** HubSpot's date-versioned paths share the v4 shapes (hubspot-api.md §3.1). */
export const SEQUENCE_BASES = ['/automation/v4/sequences', '/automation/sequences/2025-09', '/automation/sequences/2026-03', '/automation/sequences/2026-09'];

export function registerSequenceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  app.post('/seqflow/v1/sequences', async (req, reply) => {
    const body = parse(sequenceBody, req.body, 'body');
    // Checked here too so the answer names the field (the service knows no request fields);
    // the message quotes the id as sent, since numericId maps one past MAX_ID to a row-less 0.
    if (!(await userExists(deps, body.userId))) throw errors.userNotFound({ id: String((req.body as { userId: unknown }).userId), field: 'userId' });
    const { sequence, steps } = await createSequence(deps, body);
    return reply.status(201).send(sequenceFull(sequence, steps));
  });
  app.put('/seqflow/v1/sequences/:id', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const body = parse(sequenceBody.omit({ userId: true }), req.body, 'body');
    const { sequence, steps } = await updateSequence(deps, id, body);
    return sequenceFull(sequence, steps);
  });
  app.delete('/seqflow/v1/sequences/:id', async (req, reply) => {
    const { id } = parse(idParam, req.params, 'path');
    const q = parse(deleteQuery, req.query, 'query');
    await deleteSequence(deps, id, q.overrideActiveEnrollment === 'true');
    return reply.status(204).send();
  });
  for (const base of SEQUENCE_BASES) {
    app.get(base, async (req) => {
      const q = parse(listQuery, req.query, 'query');
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
      const q = parse(listQuery, req.query, 'query');
      if (q.userId === undefined) throw fieldError('userId', 'userId is required.');
      const { sequence, steps } = await getSequenceWithSteps(deps, id);
      return sequenceFull(sequence, steps);
    });
  }
}
