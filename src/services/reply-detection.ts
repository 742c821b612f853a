import type { Enrollment, Inbox } from '../domain/glossary.js';
import type { EnrollmentEndReason } from '../domain/reasons.js';
import { nextSendableAt } from '../domain/schedule.js';
import { countPausedFor, countPausedForByInbox, listPausedFor, pauseActiveEnrollments, resumePausedFor } from '../store/enrollments.js';
import { appendEvent } from '../store/events.js';
import { clearReplyAlarm, getInboxWatch, listReplyWatches, lockReplyAlarm, noteFirstSeen, raiseReplyAlarm, type ReplyWatch } from '../store/inbox-watch.js';
import { insertNotification, resolveNotifications } from '../store/notifications.js';
import type { Tx } from '../store/database.js';
import { getSequence } from '../store/sequences.js';
import { listAdminIds } from '../store/users.js';
import type { Deps } from './deps.js';
import { scheduleRules } from './schedule-rules.js';

/**
 * The reply-detection alarm (issue #10). Mail to someone who already answered is the one failure
 * a rep never forgives, and while an inbox's reply watcher is down Seqflow cannot know who did.
 * So when a watcher has not read its mailbox to the end for `config.replyDetectionAlarmMs` (wall
 * clock: sync times are facts about a live connection), every ACTIVE enrollment sending from that
 * inbox pauses with REPLY_DETECTION_DOWN, keeping its remaining delay, and the sender and every
 * admin get one notification for the outage. When the watcher has read the mailbox to the end
 * again — replies that came during the outage included, so they end their enrollments first —
 * exactly those enrollments resume and the notifications are resolved.
 *
 * Safe with several workers: raising and clearing are conditional updates of the inbox's watch
 * row, so one worker does each; pausing and resuming are conditional on the enrollment's state
 * and reason, so an enrollment a person paused, resumed or unenrolled is left as they left it.
 */
export const REPLY_DETECTION_DOWN = 'REPLY_DETECTION_DOWN' satisfies EnrollmentEndReason;

/** One outage of one inbox: what its notifications are keyed by. */
const outageKey = (inboxId: number, alarmSince: number) => `reply-detection:${inboxId}:${alarmSince}`;
const iso = (ms: number) => new Date(ms).toISOString();
const minutes = (ms: number) => Math.max(1, Math.round(ms / 60_000));

export interface ReplyDetectionCheck {
  /** Inboxes whose alarm this call raised. */
  raised: number[];
  /** Inboxes whose alarm this call cleared. */
  cleared: number[];
  /** Enrollments this call resumed. */
  resumed: number;
}

/** One round of the alarm over every inbox with IMAP settings; `wallNow` is the wall clock (Date.now()). */
export async function checkReplyDetection(deps: Deps, wallNow: number): Promise<ReplyDetectionCheck> {
  const db = deps.db.kysely;
  const alarmMs = deps.config.replyDetectionAlarmMs;
  const result: ReplyDetectionCheck = { raised: [], cleared: [], resumed: 0 };
  const held = await countPausedForByInbox(db, REPLY_DETECTION_DOWN);
  for (const w of await listReplyWatches(db)) {
    if (w.connected && w.firstSeenAt === null) await noteFirstSeen(db, w.inboxId, wallNow);
    const since = w.lastSyncAt ?? w.firstSeenAt ?? wallNow;
    if (w.alarmSince === null) {
      if (alarmMs > 0 && w.connected && wallNow - since > alarmMs) {
        if (await raise(deps, w, wallNow)) result.raised.push(w.inboxId);
      } else if (held.has(w.inboxId)) {
        // Held by an enrollment that committed as the alarm was cleared: nothing holds them now
        // — unless another worker raised the alarm since we looked (the lock makes that certain).
        result.resumed += await deps.db.transaction(async (tx) =>
          (await lockReplyAlarm(tx, deps.db.dialect, w.inboxId)) === null ? resumeHeld(tx, deps, w.inboxId) : 0,
        );
      }
    } else if (alarmMs <= 0 || (w.lastSyncAt !== null && w.lastSyncAt > w.alarmSince)) {
      const resumed = await clear(deps, w, w.alarmSince, { syncedAfter: alarmMs > 0 });
      if (resumed !== null) {
        result.cleared.push(w.inboxId);
        result.resumed += resumed;
      }
    }
  }
  return result;
}

async function raise(deps: Deps, w: ReplyWatch, wallNow: number): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    if (!(await raiseReplyAlarm(tx, w.inboxId, wallNow, wallNow - deps.config.replyDetectionAlarmMs))) return false;
    const now = deps.clock.now();
    const paused = await pauseActiveEnrollments(tx, { inboxId: w.inboxId }, REPLY_DETECTION_DOWN, now);
    for (const e of paused) await appendEvent(tx, e.contactId, 'SEQUENCE_PAUSED', now, { enrollmentId: e.id, reason: REPLY_DETECTION_DOWN });
    const lastRead = w.lastSyncAt === null ? 'it has never been read to the end' : `it was last read to the end at ${iso(w.lastSyncAt)}`;
    const downFor = minutes(wallNow - (w.lastSyncAt ?? w.firstSeenAt ?? wallNow));
    const body =
      `Seqflow has not been able to read the mailbox ${w.address} for ${downFor} minutes (${lastRead}), so it cannot tell who replied. ` +
      `So that nobody who already answered gets another email, ${paused.length} enrollment(s) sending from it are paused (REPLY_DETECTION_DOWN); ` +
      'they resume by themselves, with their remaining delay, once the mailbox has been read again. ' +
      `Check the inbox's IMAP settings and server (GET /seqflow/v1/inboxes/${w.inboxId}/usage, POST /seqflow/v1/inboxes/${w.inboxId}/test); the server log has the watcher's error.`;
    for (const userId of new Set([w.userId, ...(await listAdminIds(tx))])) {
      await insertNotification(tx, {
        userId,
        kind: REPLY_DETECTION_DOWN,
        inboxId: w.inboxId,
        sourceKey: outageKey(w.inboxId, wallNow),
        subject: `Replies to ${w.address} cannot be read: its sequences are paused`,
        body,
        createdAt: now,
      });
    }
    deps.log.warn({ inboxId: w.inboxId, paused: paused.length, downForMinutes: downFor }, 'reply detection is down: the inbox’s sequences are paused');
    return true;
  });
}

/** Clears the alarm raised at `alarmSince`, resumes what it held and resolves its notifications; null when another worker did. */
async function clear(deps: Deps, w: ReplyWatch, alarmSince: number, o: { syncedAfter: boolean }): Promise<number | null> {
  return deps.db.transaction(async (tx) => {
    if (!(await clearReplyAlarm(tx, w.inboxId, alarmSince, o))) return null;
    const resumed = await resumeHeld(tx, deps, w.inboxId);
    const how = o.syncedAfter ? `The mailbox ${w.address} was read to the end again at ${iso(w.lastSyncAt!)}` : 'The reply-detection alarm was turned off';
    await resolveNotifications(tx, outageKey(w.inboxId, alarmSince), `${how}; ${resumed} enrollment(s) resumed with their remaining delay.`, deps.clock.now());
    deps.log.info({ inboxId: w.inboxId, resumed }, 'reply detection is back: the inbox’s sequences resumed');
    return resumed;
  });
}

/**
 * Resumes the inbox's enrollments paused REPLY_DETECTION_DOWN as a manual resume would: the
 * remaining delay runs from now, and an email still waits for its send window.
 */
async function resumeHeld(tx: Tx, deps: Deps, inboxId: number): Promise<number> {
  const now = deps.clock.now();
  let resumed = 0;
  for (const { enrollment: e, pausedRemainingMs, nextStepType } of await listPausedFor(tx, inboxId, REPLY_DETECTION_DOWN)) {
    const sequence = await getSequence(tx, e.sequenceId, { includeDeleted: true });
    let due = e.nextDueAt === null ? null : now + (pausedRemainingMs ?? 0);
    if (due !== null && sequence && nextStepType === 'EMAIL') due = nextSendableAt(due, await scheduleRules(tx, sequence, e.timeZone, e.senderUserId), e.currentStep > 0);
    if (await resumePausedFor(tx, e.id, REPLY_DETECTION_DOWN, due, now)) {
      await appendEvent(tx, e.contactId, 'SEQUENCE_RESUMED', now, { enrollmentId: e.id, reason: REPLY_DETECTION_DOWN });
      resumed++;
    }
  }
  return resumed;
}

/**
 * A new enrollment sending from an inbox whose alarm is raised starts paused REPLY_DETECTION_DOWN
 * (its first step's delay kept) and starts when detection is back: refusing it would make a
 * workflow skip the contact for good over an outage of minutes. Runs in the enrollment's transaction.
 */
export async function holdIfReplyDetectionDown(tx: Tx, deps: Deps, e: Enrollment): Promise<Enrollment> {
  if (e.state !== 'ACTIVE' || (await getInboxWatch(tx, e.inboxId))?.alarmSince == null) return e;
  const now = deps.clock.now();
  const [held] = await pauseActiveEnrollments(tx, { id: e.id }, REPLY_DETECTION_DOWN, now);
  if (!held) return e;
  await appendEvent(tx, e.contactId, 'SEQUENCE_PAUSED', now, { enrollmentId: e.id, reason: REPLY_DETECTION_DOWN });
  return held;
}

/** The alarm's state for an inbox's usage and /seqflow/v1/health; null when the inbox has no IMAP settings. */
export async function replyDetectionOf(deps: Deps, inbox: Inbox) {
  if (!inbox.imap) return null;
  const db = deps.db.kysely;
  const w = await getInboxWatch(db, inbox.id);
  return {
    /** `paused`: the alarm holds the inbox's sequences; `ok` otherwise (the sync status says how the watcher is). */
    status: w?.alarmSince != null ? ('paused' as const) : ('ok' as const),
    since: w?.alarmSince != null ? iso(w.alarmSince) : null,
    pausedEnrollments: await countPausedFor(db, inbox.id, REPLY_DETECTION_DOWN),
    /** After how long without a complete read the alarm is raised; 0 = off. */
    alarmAfterMs: deps.config.replyDetectionAlarmMs,
  };
}
