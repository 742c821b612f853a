import { z } from 'zod';
import { id, numericId, results, timestamp } from './common.js';
import { inboxSync, quarantineSummary, replyDetection } from './inboxes.js';
import { publicUser } from './users.js';

/** Health, the fake clock, sign-in, API tokens and the dev inbox (Seqflow extensions). */

// ---- health and clock -------------------------------------------------------------------------

export const healthQuery = z.object({
  strict: z.enum(['true', 'false', '1', '0']).optional().describe('true: answer 503 while degraded (readiness probes); otherwise 200 with the status in the body'),
});
const backlog = z.object({ due: z.number().int(), oldestDueAt: timestamp.nullable(), oldestAgeSeconds: z.number().int() });
const healthReason = z.object({
  code: z.enum(['WATCHER_STALE', 'REPLY_DETECTION_DOWN', 'BACKLOG_OLD']),
  message: z.string(),
  inboxId: id.optional(),
  kind: z.enum(['sequence_step', 'workflow_action']).optional(),
  oldestDueAt: timestamp.optional(),
});
export const health = z.object({
  status: z.enum(['ok', 'degraded']),
  reasons: z.array(healthReason),
  version: z.string(),
  database: z.enum(['sqlite', 'postgres']),
  devSmtp: z.object({ host: z.string(), port: z.number().int() }).nullable(),
  now: timestamp,
  fakeClock: z.boolean(),
  backlog: z.object({ sequenceSteps: backlog, workflowActions: backlog }).describe('Due work not yet done, cluster-wide'),
  inboxes: z
    .array(inboxSync.extend({ id, address: z.string(), replyDetection: replyDetection.nullable(), quarantine: quarantineSummary }))
    .describe('Reply detection per watched inbox, and the messages it skipped because they could not be read'),
});

// ---- notifications -------------------------------------------------------------------------

export const notificationsQuery = z.object({
  userId: z.coerce.number().int().min(1).optional(),
  inboxId: z.coerce.number().int().min(1).optional(),
  open: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const notification = z.object({
  id,
  userId: id,
  kind: z.string(),
  inboxId: id.nullable(),
  subject: z.string(),
  body: z.string(),
  createdAt: timestamp,
  resolvedAt: timestamp.nullable(),
  resolution: z.string().nullable(),
});
export const notifications = results(notification);
export const clock = z.object({ now: timestamp });
export const advanceClockBody = z.object({ ms: z.number().int().min(0).max(5 * 366 * 86_400_000) });
/** The OpenAPI document itself. */
export const openApiDocument = z.record(z.string(), z.unknown());

// ---- sign-in ---------------------------------------------------------------------------------

/** The shortest password Seqflow accepts. */
export const MIN_PASSWORD = 10;
const password = z.string().min(MIN_PASSWORD, `must be at least ${MIN_PASSWORD} characters`).max(200);
export const credentialsBody = z.object({ email: z.email(), password: z.string().min(1).max(200) });
export const setupBody = z.object({ email: z.email(), password, firstName: z.string().max(200).default(''), lastName: z.string().max(200).default('') });
export const passwordBody = z.object({ password });
export const authStatus = z.object({ needsSetup: z.boolean(), signedIn: z.boolean(), user: publicUser.optional() });
export const signedIn = z.object({ user: publicUser });
export const signedOut = z.object({ signedIn: z.literal(false) });
export const passwordSet = z.object({ ok: z.literal(true) });
export const unsubscribeParams = z.object({ token: z.string() });
export const unsubscribed = z.object({ status: z.literal('unsubscribed') });
/** The signed token of an open pixel or a tracked link (src/domain/tracking-token.ts). */
export const trackingParams = z.object({ token: z.string().describe('Signed; a forged or altered one records nothing') });

// ---- API tokens --------------------------------------------------------------------------------

export const createTokenBody = z.object({
  name: z.string().trim().min(1, 'name must not be empty').max(200),
  scopes: z.array(z.string()).min(1, 'give at least one scope').describe("HubSpot's scope names (and seqflow.admin, seqflow.sequences.write, * for all); only scopes the caller holds"),
  userId: numericId.nullish(),
});
/** A token as listed: never its secret. */
export const token = z.object({ id, name: z.string(), scopes: z.array(z.string()), userId: id.nullable(), createdAt: timestamp });
export const createdToken = token.extend({ token: z.string().describe('The secret, shown this once') });
export const tokens = results(token);

// ---- dev inbox -------------------------------------------------------------------------------

export const devMessagesQuery = z.object({ to: z.string().optional(), from: z.string().optional(), limit: z.coerce.number().int().min(1).max(1000).optional() });
export const devMessage = z.object({
  id,
  messageId: z.string().nullable(),
  from: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  text: z.string(),
  html: z.string().nullable(),
  headers: z.record(z.string(), z.string()),
  receivedAt: timestamp,
});
export const devMessages = results(devMessage);
export const devInboxes = results(z.object({ address: z.string(), messages: z.number().int() }));
export const replyBody = z.object({
  messageId: z.string().min(3).max(998),
  text: z.string().min(1).max(100_000),
  auto: z.boolean().default(false).describe('Answer as an out-of-office auto-reply'),
});
export const bounceBody = z.object({
  messageId: z.string().min(3).max(998),
  permanent: z.boolean().default(true).describe('false: a delay notice (4.4.1) instead of a bounce (5.1.1)'),
});
/** What the simulated answer was taken for, and what it was matched to. */
export const inboundResult = z.object({
  messageId: z.string().nullable(),
  classification: z.enum(['reply', 'auto_reply', 'bounce', 'delay', 'complaint', 'other', 'duplicate', 'quarantined']),
  contactId: id.nullable(),
  enrollmentId: id.nullable(),
  quarantined: z.string().optional(),
});
/** A contact's timeline event. */
export const timelineEvent = z.object({ id, type: z.string(), at: timestamp, data: z.record(z.string(), z.unknown()) });
export const timeline = results(timelineEvent);

export type DevMessage = z.infer<typeof devMessage>;
