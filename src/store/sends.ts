import type { Selectable } from 'kysely';
import type { Db } from './database.js';
import type { Send, SendConfirmation, SendStatus } from '../domain/glossary.js';
import type { SendsTable } from './schema.js';
import { scheduledEmails } from './enrollments.js';
import { prepared } from './prepared.js';

const toSend = (r: Selectable<SendsTable>): Send => ({
  id: r.id,
  enrollmentId: r.enrollment_id,
  stepOrder: r.step_order,
  inboxId: r.inbox_id,
  messageId: r.message_id,
  status: r.status as SendStatus,
  fromEmail: r.from_email,
  toEmail: r.to_email,
  subject: r.subject,
  attempts: r.attempts,
  error: r.error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  confirmedBy: r.confirmed_by as SendConfirmation | null,
});

/** Sends that occupy a slot in the rolling windows: attempted, whether confirmed or not. */
const COUNTED: SendStatus[] = ['SENDING', 'SENT', 'UNCERTAIN'];

export async function getSendForStep(db: Db, enrollmentId: number, stepOrder: number): Promise<Send | null> {
  const r = await db
    .selectFrom('sends')
    .selectAll()
    .where('enrollment_id', '=', enrollmentId)
    .where('step_order', '=', stepOrder)
    .executeTakeFirst();
  return r ? toSend(r) : null;
}

export async function listSends(db: Db, enrollmentIds: number[]): Promise<Send[]> {
  if (enrollmentIds.length === 0) return [];
  const rows = await db.selectFrom('sends').selectAll().where('enrollment_id', 'in', enrollmentIds).orderBy('id').execute();
  return rows.map(toSend);
}

const firstAttempt = prepared(
  (db, a: { enrollmentId: number; stepOrder: number; inboxId: number; messageId: string; fromEmail: string; toEmail: string; subject: string; now: number }) =>
    db
      .insertInto('sends')
      .values({
        enrollment_id: a.enrollmentId,
        step_order: a.stepOrder,
        inbox_id: a.inboxId,
        message_id: a.messageId,
        status: 'SENDING',
        from_email: a.fromEmail,
        to_email: a.toEmail,
        subject: a.subject,
        attempts: 1,
        created_at: a.now,
        attempted_at: a.now,
      })
      .returningAll(),
);

/**
 * Records the send as SENDING before the SMTP conversation starts. A first attempt inserts
 * (the unique (enrollment, step) key makes a duplicate impossible); a retry after a 4xx moves
 * its RETRYING row back to SENDING with the same Message-ID.
 */
export async function beginSend(
  db: Db,
  s: { enrollmentId: number; stepOrder: number; inboxId: number; messageId: string; fromEmail: string; toEmail: string; subject: string },
  existing: Send | null,
  now: number,
): Promise<Send | null> {
  if (existing) {
    const r = await db
      .updateTable('sends')
      .set({ status: 'SENDING', attempts: existing.attempts + 1, attempted_at: now, inbox_id: s.inboxId, subject: s.subject, from_email: s.fromEmail })
      .where('id', '=', existing.id)
      .where('status', '=', 'RETRYING')
      .returningAll()
      .executeTakeFirst();
    return r ? toSend(r) : null;
  }
  return toSend((await firstAttempt(db, { ...s, now })).rows[0]!);
}

export async function finishSend(
  db: Db,
  id: number,
  status: Exclude<SendStatus, 'SENDING'>,
  patch: { error?: string | null; sentAt?: number | null; confirmedBy?: SendConfirmation },
): Promise<void> {
  await db
    .updateTable('sends')
    .set({
      status,
      ...(patch.error !== undefined && { error: patch.error }),
      ...(patch.sentAt !== undefined && { sent_at: patch.sentAt }),
      ...(patch.confirmedBy !== undefined && { confirmed_by: patch.confirmedBy }),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Both counts of the daily send limit in one statement: sends attempted after `sentSince`, and
 * emails scheduled in [from, to) (src/store/enrollments.ts `scheduledEmails`).
 */
export async function countSentAndScheduled(
  db: Db,
  inboxId: number,
  sentSince: number,
  scheduled: { from: number; to: number; excludeEnrollmentId?: number },
): Promise<{ sent: number; scheduled: number }> {
  const r = await db
    .selectNoFrom((eb) => [
      countedSince(db, inboxId, sentSince).select(eb.fn.countAll<number>().as('n')).as('sent'),
      scheduledEmails(db, inboxId, scheduled.from, scheduled.to, scheduled.excludeEnrollmentId).select(eb.fn.countAll<number>().as('n')).as('scheduled'),
    ])
    .executeTakeFirstOrThrow();
  return { sent: Number(r.sent), scheduled: Number(r.scheduled) };
}

const attemptedInWindows = prepared((db, a: { inboxId: number; since: number; recentSince: number }) =>
  db
    .selectFrom('sends')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number | null>(eb.case().when('attempted_at', '>', a.recentSince).then(1).else(0).end()).as('recent'),
    ])
    .where('inbox_id', '=', a.inboxId)
    .where('status', 'in', COUNTED)
    .where('attempted_at', '>', a.since),
);

/** The inbox's counted sends in two windows (the longer `since` first) in one statement: the daily and per-minute limits. */
export async function countAttemptedInWindows(db: Db, inboxId: number, since: number, recentSince: number): Promise<{ count: number; recent: number }> {
  const r = (await attemptedInWindows(db, { inboxId, since, recentSince })).rows[0]!;
  return { count: Number(r.n), recent: Number(r.recent ?? 0) };
}

/** The inbox's counted sends attempted after `since`: what the send limits count. */
const countedSince = (db: Db, inboxId: number, since: number) =>
  db.selectFrom('sends').where('inbox_id', '=', inboxId).where('status', 'in', COUNTED).where('attempted_at', '>', since);

/** Attempt times of the inbox's counted sends after `since`, oldest first (the workflow forecast starts its limits from them). */
export async function attemptTimesSince(db: Db, inboxId: number, since: number): Promise<number[]> {
  const rows = await countedSince(db, inboxId, since).select('attempted_at').orderBy('attempted_at').execute();
  return rows.map((r) => Number(r.attempted_at));
}

/** The attempt time of the n-th (0-based) oldest counted send after `since`: when it leaves the window, a slot frees up. */
export async function nthAttemptSince(db: Db, inboxId: number, since: number, n: number): Promise<number | null> {
  const r = await countedSince(db, inboxId, since).select('attempted_at').orderBy('attempted_at').offset(n).limit(1).executeTakeFirst();
  return r ? Number(r.attempted_at) : null;
}

/** Message-IDs of earlier sends of an enrollment, oldest first, for threading follow-ups. */
export async function sentMessageIds(db: Db, enrollmentId: number): Promise<{ stepOrder: number; messageId: string; subject: string }[]> {
  const rows = await db
    .selectFrom('sends')
    .select(['step_order', 'message_id', 'subject'])
    .where('enrollment_id', '=', enrollmentId)
    .where('status', 'in', ['SENT', 'UNCERTAIN'])
    .orderBy('step_order')
    .execute();
  return rows.map((r) => ({ stepOrder: r.step_order, messageId: r.message_id, subject: r.subject }));
}

const confirmSent = prepared((db, a: { id: number; sentAt: number; confirmedBy: SendConfirmation }) =>
  db
    .updateTable('sends')
    .set({ status: 'SENT', sent_at: a.sentAt, error: null, confirmed_by: a.confirmedBy })
    .where('id', '=', a.id)
    .where('status', 'in', ['SENDING', 'UNCERTAIN']),
);

/**
 * The server's 250 (or a later confirmation) makes the send SENT, whatever another worker
 * concluded meanwhile; false when it already was SENT (nothing to record twice).
 */
export async function confirmSend(db: Db, id: number, patch: { sentAt: number; confirmedBy: SendConfirmation }): Promise<boolean> {
  const r = await confirmSent(db, { id, ...patch });
  return Number(r.numAffectedRows ?? 0) > 0;
}

/** SENDING → UNCERTAIN, only while nobody confirmed it; false when it was settled meanwhile. */
export async function markSendUncertain(db: Db, id: number, error: string): Promise<boolean> {
  const r = await db.updateTable('sends').set({ status: 'UNCERTAIN', error }).where('id', '=', id).where('status', '=', 'SENDING').executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Enrollment ids of our sends with any of these Message-IDs (the thread of an inbound message), by Message-ID. */
export async function enrollmentsByMessageId(db: Db, messageIds: string[]): Promise<Map<string, number>> {
  if (messageIds.length === 0) return new Map();
  const rows = await db.selectFrom('sends').select(['message_id', 'enrollment_id']).where('message_id', 'in', messageIds).execute();
  return new Map(rows.map((r) => [r.message_id, r.enrollment_id]));
}
