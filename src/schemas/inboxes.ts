import { z } from 'zod';
import { collection, cursor, id, pathId, results, timestamp } from './common.js';
import { INBOX_PROVIDERS, INBOX_STATUSES } from './vocabulary.js';

/** Connected inboxes (Seqflow extension): send limits, reply watching, quarantine. */

const server = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  secure: z.boolean().optional(),
  auth: z.object({ user: z.string().min(1), pass: z.string() }).optional(),
});
export const connectInboxBody = z.object({
  address: z.email(),
  aliases: z.array(z.email()).max(50).default([]),
  provider: z.enum(INBOX_PROVIDERS).default('imap'),
  smtp: server.optional().describe('Required unless the provider is "dev" (the built-in dev mail server)'),
  imap: server.optional().describe('Where replies, out-of-office answers and bounces are read'),
  dailyLimit: z.number().int().min(1).optional(),
  perMinuteLimit: z.number().int().min(1).max(1000).optional(),
});
export const quarantineQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(100), after: cursor });
export const quarantineRawParams = z.object({ id: pathId, entryId: pathId });

// ---- responses ------------------------------------------------------------------------------

/** Server settings as the API shows them: credentials never leave the server. */
const serverView = z.object({ host: z.string(), port: z.number().int(), secure: z.boolean(), user: z.string().nullable() });
export const inbox = z.object({
  id,
  userId: id,
  address: z.string(),
  aliases: z.array(z.string()),
  provider: z.enum(INBOX_PROVIDERS),
  status: z.enum(INBOX_STATUSES).describe('error: an OAuth mailbox lost its access until a reconnect or an admin acts (GET /seqflow/v1/inboxes/{id}/oauth says why)'),
  dailyLimit: z.number().int(),
  perMinuteLimit: z.number().int(),
  smtp: serverView.nullable(),
  imap: serverView.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export const inboxes = results(inbox);

/** Reply detection of an inbox: null when it has no IMAP settings (nothing to watch). */
export const inboxSync = z.object({
  status: z.enum(['ok', 'error', 'disconnected']).describe('error: the watcher failed, or has not synced for 10 minutes'),
  stale: z.boolean().describe('No complete read of the mailbox for 10 minutes: health is degraded'),
  lastSyncAt: timestamp.nullable(),
  lastError: z.string().nullable(),
});
/** The reply-detection alarm of an inbox with IMAP (issue #10): `paused` while it holds the inbox's sequences. */
export const replyDetection = z.object({
  status: z.enum(['ok', 'paused']),
  since: timestamp.nullable(),
  pausedEnrollments: z.number().int(),
  alarmAfterMs: z.number().int().describe('After how long without a complete read the alarm is raised; 0 = off'),
});
/** The quarantine line of an inbox's usage and of /seqflow/v1/health. */
export const quarantineSummary = z.object({ count: z.number().int(), latestReason: z.string().nullable(), latestAt: timestamp.nullable() });
export const inboxUsage = z.object({
  sentLast24h: z.number().int(),
  scheduledLast24h: z.number().int(),
  sequenceLimit: z.number().int().describe('Sequence sends stop here: 90 % of the daily limit over a rolling 24 h'),
  dailyLimit: z.number().int(),
  perMinuteLimit: z.number().int(),
  sync: inboxSync.nullable(),
  replyDetection: replyDetection.nullable(),
  quarantine: quarantineSummary,
});
const connectionResult = z.object({ ok: z.boolean(), message: z.string() });
/** A connection test: yes or no per protocol; the reason of a failure is only in the server log. */
export const inboxTest = z.object({ smtp: connectionResult, imap: connectionResult.nullable() });
/** A message the inbox's reader skipped, and why (issue #9). The raw bytes are served separately. */
export const quarantineEntry = z.object({
  id,
  inboxId: id,
  messageKey: z.string(),
  messageId: z.string().nullable(),
  from: z.string().nullable(),
  subject: z.string().nullable(),
  reason: z.string(),
  detail: z.string(),
  classifiedAs: z.string().nullable().describe('What the headers were taken for when only they could be read'),
  attempts: z.number().int(),
  size: z.number().int(),
  receivedAt: timestamp,
  quarantinedAt: timestamp.nullable(),
});
export const quarantine = collection(quarantineEntry);

export type Inbox = z.infer<typeof inbox>;
export type InboxUsage = z.infer<typeof inboxUsage>;
