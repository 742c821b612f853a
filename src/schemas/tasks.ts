import { z } from 'zod';
import { booleanQuery, collection, cursor, id, listQuery as listParam, numericId, results, timestamp } from './common.js';
import { CALL_OUTCOMES, QUEUE_SECTIONS, TASK_PRIORITIES, TASK_STATUSES, TASK_TYPES } from './vocabulary.js';

/** Tasks (issue #14 item 2): the rep's queue under /seqflow/v1/tasks and HubSpot's tasks object. */

// ---- the queue -------------------------------------------------------------------------------

export const queueQuery = z.object({
  userId: numericId.optional(),
  enrollmentId: numericId.optional(),
  contactId: numericId.optional(),
  sequenceId: numericId.optional().describe("Only tasks of this sequence's enrollments"),
  status: z.enum(TASK_STATUSES).optional().describe('Default: every status'),
  section: z.enum(QUEUE_SECTIONS).optional().describe("OVERDUE (due before today), TODAY or UPCOMING, by the day of `timeZone`"),
  timeZone: z.string().optional().describe("IANA zone the day is counted in; default the user's (userId), else the account's"),
  includeSnoozed: booleanQuery.optional().describe('true: also tasks snoozed until later (hidden by default)'),
});

export const task = z.object({
  id,
  userId: z.number().int(),
  contactId: z.number().int(),
  enrollmentId: z.number().int().nullable(),
  sequenceId: z.number().int().nullable(),
  stepOrder: z.number().int().nullable(),
  type: z.enum(TASK_TYPES),
  subject: z.string().describe("Rendered with the contact's tokens when the task was created"),
  notes: z.string().describe('HTML, rendered as the subject'),
  status: z.enum(TASK_STATUSES),
  reason: z.string().nullable().describe('Set when Seqflow asks for a check (SEND_UNCERTAIN, UNFILLED_PLACEHOLDER, …)'),
  priority: z.enum(TASK_PRIORITIES).nullable(),
  dueAt: timestamp,
  section: z.enum(QUEUE_SECTIONS),
  snoozedUntil: timestamp.nullable(),
  createdAt: timestamp,
  completedAt: timestamp.nullable(),
  callOutcome: z.enum(CALL_OUTCOMES).nullable(),
  completionNote: z.string().nullable(),
  closedReason: z.string().nullable().describe('Seqflow closed the task (SKIPPED) because its enrollment ended for this reason (REPLIED, BOUNCED, UNSUBSCRIBED, …)'),
  sendRequestedAt: timestamp.nullable().describe("A manual email task's email is queued for sending since then; the task completes when it is sent"),
});
export const tasks = results(task);

const note = z.string().max(10_000).optional();
export const completeBody = z.object({ note, callOutcome: z.enum(CALL_OUTCOMES).optional().describe('A call task: what the call came to') }).strict();
export const skipBody = z.object({ note }).strict();
export const snoozeBody = z.object({ until: z.iso.datetime({ offset: true }).describe('When the task is due again') }).strict();

export const draft = z.object({
  kind: z.enum(['MANUAL_EMAIL', 'PLACEHOLDERS']),
  to: z.string(),
  from: z.string(),
  subject: z.string(),
  html: z.string(),
  placeholders: z.array(z.string()).describe('[[placeholder: …]] texts the rep fills in'),
  missingTokens: z.array(z.string()),
});
const placeholderValues = z.record(z.string(), z.string().max(10_000));
export const sendBody = z
  .object({
    subject: z.string().max(998),
    html: z.string().min(1).max(200_000),
    placeholderValues: placeholderValues.optional(),
  })
  .strict();
export const sendAnswer = z.object({
  task,
  queued: z.boolean().describe('false: this task was queued by an earlier request (a double click); nothing more is sent'),
});
export const fillBody = z.object({ placeholderValues }).strict();

// ---- HubSpot's tasks object (/crm/v3/objects/tasks) ----------------------------------------------

export const hubspotListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(10),
  after: cursor,
  properties: listParam.optional(),
  associations: listParam.optional(),
  archived: booleanQuery.optional(),
});
export const hubspotReadQuery = hubspotListQuery.pick({ properties: true, associations: true, archived: true });
export const hubspotTask = z.object({
  id,
  properties: z.record(z.string(), z.string().nullable()),
  createdAt: timestamp,
  updatedAt: timestamp,
  archived: z.boolean(),
  associations: z.record(z.string(), z.object({ results: z.array(z.object({ id: z.string(), type: z.string() })) })).optional(),
});
export const hubspotTasks = collection(hubspotTask);
export const hubspotPatchBody = z.object({
  properties: z
    .object({
      hs_task_status: z.enum(['NOT_STARTED', 'COMPLETED']).optional().describe('COMPLETED completes the task (a gating step lets the sequence go on)'),
      hs_task_body: z.string().max(10_000).optional().describe('With COMPLETED: the completion note'),
    })
    .strict()
    .describe('Seqflow takes a task from its sequence: only its status (and a note with it) can change'),
});

export type QueueTask = z.infer<typeof task>;
export type TaskDraft = z.infer<typeof draft>;
