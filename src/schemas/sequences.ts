import { z } from 'zod';
import { collection, cursor, id, numericId, timestamp } from './common.js';
import { FOLLOW_UP_DAYS, SELLING_STRATEGIES, TASK_PRIORITIES, TASK_TYPES, WEEKDAYS } from './vocabulary.js';

/** Sequences: HubSpot's v4 reads (hubspot-api.md §3.5) and Seqflow's editing under /seqflow/v1. */

export const minute = z.number().int().min(0).max(1440);
export const sendWindowsByWeekday = z
  .partialRecord(z.enum(WEEKDAYS), z.object({ startMinute: minute, endMinute: minute }).strict().nullable())
  .describe('Days with a send window of their own (e.g. FRIDAY 480–720), or null for no sending that day; other days use sendWindowStartMinute–sendWindowEndMinute');
export const settingsBody = z
  .object({
    eligibleFollowUpDays: z.enum(FOLLOW_UP_DAYS),
    sendWindowStartMinute: minute,
    sendWindowEndMinute: minute,
    sendWindowsByWeekday,
    scheduleId: numericId.nullable().describe("A named schedule (/seqflow/v1/schedules) whose windows, follow-up days and holidays replace the sequence's own; null: its own"),
    useThreadedFollowUps: z.boolean(),
    unenrollOnReply: z.boolean(),
    unenrollOnMeeting: z.boolean(),
    sellingStrategy: z.enum(SELLING_STRATEGIES),
    trackOpens: z.boolean().describe('Add a tracking pixel to the HTML part of emails (default false)'),
    trackClicks: z.boolean().describe("Send the HTML part's http(s) links through Seqflow's redirect (default false)"),
  })
  .partial()
  .strict();
export const stepBody = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('EMAIL'),
    delayMillis: z.number().int().min(0),
    subject: z.string().max(998),
    body: z.string().min(1).max(200_000),
    threadToStepOrder: z.number().int().min(0).nullable().optional(),
    templateId: numericId.nullable().optional().describe('The library template the subject and body were copied from, kept for reference: editing the template later does not change the step'),
  }),
  z.object({
    type: z.literal('TASK'),
    delayMillis: z.number().int().min(0),
    subject: z.string().max(998).default(''),
    body: z.string().max(200_000).default(''),
    taskType: z.enum(TASK_TYPES).default('TODO'),
    taskPriority: z.enum(TASK_PRIORITIES).default('NONE'),
    taskGatesNextStep: z.boolean().default(true),
  }),
]);
export const sequenceBody = z.object({
  name: z.string().trim().min(1).max(500),
  userId: numericId,
  settings: settingsBody.optional(),
  steps: z.array(stepBody).min(1),
});
/** PUT /seqflow/v1/sequences/{id}: the owner does not change. */
export const sequenceUpdateBody = sequenceBody.omit({ userId: true });
export const sequencesQuery = z.object({
  userId: numericId.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(100),
  after: cursor,
  name: z.string().optional(),
});
export const deleteSequenceQuery = z.object({ overrideActiveEnrollment: z.enum(['true', 'false']).default('false') });
export const previewBody = z.object({
  contactId: numericId.optional().describe('The contact to render for; without it (or with sample: true) the built-in sample contact Jane Doe at Example Co'),
  sample: z.boolean().optional().describe('Render for the built-in sample contact'),
  stepOrder: z.number().int().min(0).default(0),
  placeholderValues: z.record(z.string(), z.string()).optional(),
});
export const sequenceStatsQuery = z.object({ userId: numericId.optional() });

// ---- responses ------------------------------------------------------------------------------

/** HubSpot's PublicSequenceLiteResponse. */
export const sequenceLite = z.object({ id, name: z.string(), userId: id, createdAt: timestamp, updatedAt: timestamp });
export const sequenceSettings = z.object({
  eligibleFollowUpDays: z.enum(FOLLOW_UP_DAYS),
  sendWindowStartMinute: z.number().int(),
  sendWindowEndMinute: z.number().int(),
  sendWindowsByWeekday: sendWindowsByWeekday.optional(),
  scheduleId: id.nullable().optional().describe('The named schedule used instead of the four fields above; absent or null: those'),
  useThreadedFollowUps: z.boolean(),
  unenrollOnReply: z.boolean(),
  unenrollOnMeeting: z.boolean(),
  sellingStrategy: z.enum(SELLING_STRATEGIES),
  trackOpens: z.boolean().describe('Opens are tracked with a pixel served by Seqflow (false on sequences saved before tracking existed)'),
  trackClicks: z.boolean().describe("Clicks are tracked through Seqflow's redirect"),
});
const stamps = { createdAt: timestamp, updatedAt: timestamp };
export const sequenceStep = z.object({
  id,
  stepOrder: z.number().int(),
  delayMillis: z.number().int(),
  actionType: z.enum(['EMAIL', 'TASK']),
  ...stamps,
  emailPattern: z
    .object({
      id,
      templateId: id,
      threadEmailToStepOrder: z.number().int().nullable(),
      subject: z.string(),
      body: z.string(),
      sourceTemplateId: id.nullable().optional().describe('The Seqflow library template the subject and body were copied from (templateId is the step’s own, as HubSpot has one per email)'),
      ...stamps,
    })
    .optional()
    .describe('EMAIL steps; the subject and body ride along as extra fields'),
  taskPattern: z
    .object({ id, taskType: z.enum(TASK_TYPES).nullable(), taskPriority: z.enum(TASK_PRIORITIES).nullable(), subject: z.string(), notes: z.string(), ...stamps })
    .optional()
    .describe('TASK steps'),
});
/** HubSpot's PublicSequenceResponse; the email subject and body ride along as extra fields. */
export const sequence = sequenceLite.extend({
  settings: sequenceSettings.extend({ id, ...stamps, taskReminderMinute: z.number().int(), individualTaskRemindersEnabled: z.boolean() }),
  steps: z.array(sequenceStep),
  dependencies: z.array(
    z.object({
      id: z.string(),
      dependencyType: z.literal('TASK_COMPLETION'),
      reliesOnStepOrder: z.number().int(),
      requiredByStepOrder: z.number().int(),
      reliesOnSequenceStepId: id,
      requiredBySequenceStepId: id,
      ...stamps,
    }),
  ),
});
export const sequenceCollection = collection(sequenceLite).extend({ total: z.number().int() });

/** Counts a sales team reads a sequence by. */
export const sequenceStats = z.object({
  enrolled: z.number().int(),
  active: z.number().int(),
  finished: z.number().int(),
  replied: z.number().int(),
  meetingsBooked: z.number().int(),
  bounced: z.number().int(),
  unsubscribed: z.number().int(),
});
export const sequencesWithStats = z.object({ results: z.array(sequenceLite.extend({ stats: sequenceStats })) });
export const sequencePerformance = z.object({
  summary: sequenceStats,
  timeline: z.array(z.object({ date: z.string().describe('YYYY-MM-DD (UTC)'), sent: z.number().int(), replied: z.number().int() })),
});
/** An email as the chosen contact would get it: missing tokens and unfilled placeholders listed. */
export const preview = z.object({
  subject: z.string(),
  html: z.string(),
  text: z.string(),
  missingTokens: z.array(z.string()),
  placeholders: z.array(z.string()),
  contact: z.object({ id: z.string().nullable().describe('null for the sample contact'), sample: z.boolean(), name: z.string(), email: z.string() }).describe('Who the email was rendered for'),
  tokens: z.array(z.object({ token: z.string(), value: z.string().nullable() })).describe('Each token of the subject and body, with the value it took (null: none)'),
});

export type SequenceLite = z.infer<typeof sequenceLite>;
export type Sequence = z.infer<typeof sequence>;
export type SequencePreview = z.infer<typeof preview>;
export type SequenceSettings = z.infer<typeof sequenceSettings>;
export type SequenceStep = z.infer<typeof sequenceStep>;
export type SequenceStats = z.infer<typeof sequenceStats>;
