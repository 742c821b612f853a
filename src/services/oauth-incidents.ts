/**
 * Lost and regained access of OAuth inboxes (issue #16).
 *
 * An incident begins when a connected inbox first fails in a way a person must fix (reconnect or
 * admin): exactly one caller of any number of workers wins the conditional state update and, in
 * the same transaction, pauses the inbox's active enrollments with INBOX_DISCONNECTED (their due
 * emails wait, they never fail and never go out twice) and notifies — the rep and the admins for
 * a mailbox's problem; only the admins, once per provider and cause, when the app registration
 * itself is wrong (a wrong client secret must not send every rep through consent).
 * While the provider is merely unreachable the inbox shows "retrying" and nothing pauses: sends
 * are retried as any temporary failure is.
 *
 * After a reconnect the waiting enrollments resume only once the reply watcher has read the
 * mailbox after the reconnect, so replies that came meanwhile end their enrollments first;
 * enrollments that waited longer than the horizon are not resumed into a burst but left paused
 * with their reason and the rep told (they can resume them by hand).
 */
import { isAppRegistrationCode, type AccessLoss } from '../domain/oauth-errors.js';
import type { EnrollmentEndReason } from '../domain/reasons.js';
import { nextSendableAt } from '../domain/schedule.js';
import { countPausedFor, listPausedFor, pauseActiveEnrollments, resumePausedFor } from '../store/enrollments.js';
import { appendEvent } from '../store/events.js';
import { getInboxWatch } from '../store/inbox-watch.js';
import { getInboxOAuth, listReconnectedWithWaiting, setOAuthState } from '../store/inbox-oauth.js';
import { getInbox } from '../store/inboxes.js';
import { insertNotification, resolveNotifications } from '../store/notifications.js';
import { getSequence } from '../store/sequences.js';
import { listAdminIds } from '../store/users.js';
import type { Tx } from '../store/database.js';
import type { Deps } from './deps.js';
import { scheduleRules } from './schedule-rules.js';

export const INBOX_DISCONNECTED = 'INBOX_DISCONNECTED' satisfies EnrollmentEndReason;

const incidentKey = (inboxId: number, since: number) => `oauth-inbox:${inboxId}:${since}`;
// One alert per provider and cause while it lasts; resolving retires the key, so a recurrence alerts again.
const appIncidentKey = (provider: string, code: string) => `oauth-app:${provider}:${code}`;

/** Records a failure; returns true when it began an incident (and so paused and notified). */
export async function recordAccessLoss(deps: Deps, inboxId: number, loss: AccessLoss): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const began = await setOAuthState(tx, inboxId, { state: loss.state, code: loss.code, message: loss.message }, now);
    if (!began || loss.state === 'retrying') return began;
    const inbox = (await getInbox(tx, inboxId))!;
    const oauth = (await getInboxOAuth(tx, inboxId))!;
    const paused = await pauseActiveEnrollments(tx, { inboxId }, INBOX_DISCONNECTED, now);
    for (const e of paused) await appendEvent(tx, e.contactId, 'SEQUENCE_PAUSED', now, { enrollmentId: e.id, reason: INBOX_DISCONNECTED });
    const waiting = `${paused.length} enrollment(s) sending from it wait (INBOX_DISCONNECTED) and resume by themselves after the reconnect.`;
    if (loss.scope === 'app') {
      for (const userId of await listAdminIds(tx)) {
        await insertNotification(tx, {
          userId,
          kind: 'OAUTH_APP_MISCONFIGURED',
          inboxId: null,
          sourceKey: appIncidentKey(oauth.provider, loss.code),
          subject: `Mailboxes connected with ${oauth.provider} cannot send: the app registration needs an admin`,
          body: `${loss.message} Every mailbox connected through it waits until then; reps need not reconnect.`,
          createdAt: now,
        });
      }
    } else {
      const who = loss.state === 'reconnect' ? [inbox.userId] : [inbox.userId, ...(await listAdminIds(tx))];
      for (const userId of new Set(who)) {
        await insertNotification(tx, {
          userId,
          kind: INBOX_DISCONNECTED,
          inboxId,
          sourceKey: incidentKey(inboxId, now),
          subject: loss.state === 'reconnect' ? `Reconnect your mailbox ${inbox.address}` : `The mailbox ${inbox.address} needs an admin`,
          body: `${loss.message} ${waiting}`,
          createdAt: now,
        });
      }
    }
    deps.log.warn({ inboxId, state: loss.state, code: loss.code, paused: paused.length }, 'OAuth inbox lost access: its sequences wait');
    return true;
  });
}

/**
 * A refresh or send worked again after "retrying", or after an admin fixed the app registration:
 * back to connected (what waited resumes once replies were read, as after a reconnect).
 */
export async function recordAccessWorks(deps: Deps, inboxId: number): Promise<void> {
  const row = await getInboxOAuth(deps.db.kysely, inboxId);
  if (!row || row.state === 'connected' || row.state === 'reconnect') return;
  if (row.state === 'admin' && !isAppRegistrationCode(row.stateCode)) return;
  await deps.db.transaction(async (tx) => {
    if (!(await setOAuthState(tx, inboxId, { state: 'connected', code: null, message: null }, deps.clock.now()))) return;
    if (row.state === 'admin') {
      await resolveNotifications(tx, appIncidentKey(row.provider, row.stateCode!), 'The app registration works again; mailboxes resume by themselves.', deps.clock.now(), { retireKey: true });
      await resolveNotifications(tx, incidentKey(inboxId, row.stateSince ?? 0), 'The app registration works again.', deps.clock.now());
    }
  });
}

/** Resolves the incident's notifications once the reconnect is saved. */
export async function resolveIncident(tx: Tx, deps: Deps, inboxId: number, since: number | null, provider: string, code: string | null): Promise<void> {
  const now = deps.clock.now();
  if (since !== null) await resolveNotifications(tx, incidentKey(inboxId, since), 'The mailbox was reconnected.', now);
  if (code) await resolveNotifications(tx, appIncidentKey(provider, code), 'A mailbox of this provider connected again.', now, { retireKey: true });
}

/**
 * Resumes what waited for a reconnected inbox once replies that arrived meanwhile have been read
 * (its watcher synced after `reconnectedAt`, wall clock), or at once when it has no IMAP.
 * Enrollments that waited longer than the horizon stay paused and their rep is told.
 */
export async function resumeAfterReconnect(deps: Deps, inboxId: number, reconnectedAt: number): Promise<{ resumed: number; leftPaused: number } | null> {
  const inbox = await getInbox(deps.db.kysely, inboxId);
  if (!inbox) return null;
  if (inbox.imap) {
    const w = await getInboxWatch(deps.db.kysely, inboxId);
    if (!w?.lastSyncAt || w.lastSyncAt < reconnectedAt) return null;
  }
  const horizonMs = deps.settings.oauthWaitHorizonHours * 3_600_000;
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    let resumed = 0;
    const stale: number[] = [];
    for (const { enrollment: e, pausedRemainingMs, nextStepType } of await listPausedFor(tx, inboxId, INBOX_DISCONNECTED)) {
      if (e.nextDueAt !== null && now - e.updatedAt > horizonMs) {
        stale.push(e.id);
        continue;
      }
      const sequence = await getSequence(tx, e.sequenceId, { includeDeleted: true });
      let due = e.nextDueAt === null ? null : now + (pausedRemainingMs ?? 0);
      if (due !== null && sequence && nextStepType === 'EMAIL') due = nextSendableAt(due, await scheduleRules(tx, sequence, e.timeZone, e.senderUserId), e.currentStep > 0);
      if (await resumePausedFor(tx, e.id, INBOX_DISCONNECTED, due, now)) {
        await appendEvent(tx, e.contactId, 'SEQUENCE_RESUMED', now, { enrollmentId: e.id, reason: INBOX_DISCONNECTED });
        resumed++;
      }
    }
    const leftPaused = stale.length;
    if (leftPaused) {
      await insertNotification(tx, {
        userId: inbox.userId,
        kind: 'INBOX_DISCONNECTED_STALE',
        inboxId,
        // Keyed by what was left, so later rounds over the same enrollments tell nobody again.
        sourceKey: `oauth-stale:${inboxId}:${stale.join(',')}`,
        subject: `${leftPaused} email(s) from ${inbox.address} were not sent after the reconnect`,
        body: `They waited longer than ${deps.settings.oauthWaitHorizonHours} hours for the mailbox, so Seqflow did not send them in a burst. Their enrollments stay paused (INBOX_DISCONNECTED): resume or unenroll them from the sequence.`,
        createdAt: now,
      });
    }
    return { resumed, leftPaused };
  });
}

/** "12 emails waiting — mailbox disconnected": enrollments of the inbox held for its reconnect. */
export const countWaitingForReconnect = (deps: Deps, inboxId: number): Promise<number> => countPausedFor(deps.db.kysely, inboxId, INBOX_DISCONNECTED);

/** One round over reconnected inboxes: resumes what waited for each once its replies were read. */
export async function resumeReconnectedInboxes(deps: Deps): Promise<number> {
  let resumed = 0;
  for (const { inboxId, reconnectedAt } of await listReconnectedWithWaiting(deps.db.kysely, INBOX_DISCONNECTED)) {
    resumed += (await resumeAfterReconnect(deps, inboxId, reconnectedAt))?.resumed ?? 0;
  }
  return resumed;
}
