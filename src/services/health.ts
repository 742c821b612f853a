import type { Inbox } from '../domain/glossary.js';
import { dueBacklog } from '../store/due-backlog.js';
import { listConnectedInboxes } from '../store/inboxes.js';
import type { Deps } from './deps.js';
import { inboxQuarantineSummary } from './inbound-quarantine.js';
import { STALE_SYNC_MS, inboxSync } from './inboxes.js';
import { replyDetectionOf } from './reply-detection.js';

export type HealthReason =
  | { code: 'WATCHER_STALE'; inboxId: number; message: string }
  | { code: 'REPLY_DETECTION_DOWN'; inboxId: number; message: string }
  | { code: 'BACKLOG_OLD'; kind: 'sequence_step' | 'workflow_action'; oldestDueAt: number; message: string };

/**
 * What /seqflow/v1/health reports: `degraded` with its reasons when a reply watcher has not read
 * its mailbox for STALE_SYNC_MS, when an inbox's sequences are held by the reply-detection alarm,
 * or when the oldest due work has waited longer than `config.healthBacklogMs`. Everything is read
 * from the database, so any API process answers for the whole cluster.
 */
export async function systemHealth(deps: Deps) {
  const now = deps.clock.now();
  const reasons: HealthReason[] = [];
  const inboxes: { inbox: Inbox; sync: NonNullable<Awaited<ReturnType<typeof inboxSync>>>; replyDetection: Awaited<ReturnType<typeof replyDetectionOf>>; quarantine: Awaited<ReturnType<typeof inboxQuarantineSummary>> }[] = [];
  for (const inbox of await listConnectedInboxes(deps.db.kysely)) {
    const sync = await inboxSync(deps, inbox);
    if (!sync) continue;
    const replyDetection = await replyDetectionOf(deps, inbox);
    if (sync.stale) {
      reasons.push({ code: 'WATCHER_STALE', inboxId: inbox.id, message: `The reply watcher of ${inbox.address} has not read it to the end for more than ${STALE_SYNC_MS / 60_000} minutes.` });
    }
    if (replyDetection?.status === 'paused') {
      reasons.push({
        code: 'REPLY_DETECTION_DOWN',
        inboxId: inbox.id,
        message: `Replies to ${inbox.address} cannot be read: its ${replyDetection.pausedEnrollments} enrollment(s) are paused until they can.`,
      });
    }
    inboxes.push({ inbox, sync, replyDetection, quarantine: await inboxQuarantineSummary(deps, inbox.id) });
  }
  const backlog = await dueBacklog(deps.db.kysely, now);
  for (const [kind, b, what] of [
    ['sequence_step', backlog.sequenceSteps, 'sequence step'],
    ['workflow_action', backlog.workflowActions, 'workflow action'],
  ] as const) {
    if (b.oldestDueAt !== null && now - b.oldestDueAt > deps.config.healthBacklogMs) {
      const minutes = Math.floor((now - b.oldestDueAt) / 60_000);
      reasons.push({ code: 'BACKLOG_OLD', kind, oldestDueAt: b.oldestDueAt, message: `The oldest due ${what} has waited ${minutes} minutes (${b.due} due): are the workers running?` });
    }
  }
  return { status: reasons.length ? ('degraded' as const) : ('ok' as const), reasons, backlog, inboxes, now };
}
