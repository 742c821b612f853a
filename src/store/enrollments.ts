import { sql, type Selectable, type SqlBool, type Updateable } from 'kysely';
import type { Db, DialectName } from './database.js';
import type { Enrollment, EnrollmentSource, EnrollmentState } from '../domain/glossary.js';
import type { EnrollmentsTable } from './schema.js';
import { fromJson, toJson } from './json.js';
import { prepared } from './prepared.js';

export const toEnrollment = (r: Selectable<EnrollmentsTable>): Enrollment => ({
  id: r.id,
  contactId: r.contact_id,
  sequenceId: r.sequence_id,
  sequenceVersion: r.sequence_version,
  senderUserId: r.sender_user_id,
  enrolledByUserId: r.enrolled_by_user_id,
  inboxId: r.inbox_id,
  senderEmail: r.sender_email,
  toEmail: r.to_email,
  timeZone: r.time_zone,
  source: r.source as EnrollmentSource,
  state: r.state as EnrollmentState,
  reason: r.reason,
  currentStep: r.current_step,
  nextDueAt: r.next_due_at,
  placeholderValues: fromJson<Record<string, string>>(r.placeholder_values, {}),
  enrolledAt: r.enrolled_at,
  updatedAt: r.updated_at,
  endedAt: r.ended_at,
});

export type NewEnrollment = Pick<
  Enrollment,
  'contactId' | 'sequenceId' | 'sequenceVersion' | 'senderUserId' | 'enrolledByUserId' | 'inboxId' | 'senderEmail' | 'toEmail' | 'timeZone' | 'source' | 'nextDueAt' | 'placeholderValues'
> & { nextStepType: 'EMAIL' | 'TASK' | null };

const newEnrollment = prepared((db, a: NewEnrollment & { state: EnrollmentState; placeholders: string; now: number; endedAt: number | null }) =>
  db
    .insertInto('enrollments')
    .values({
      contact_id: a.contactId,
      sequence_id: a.sequenceId,
      sequence_version: a.sequenceVersion,
      sender_user_id: a.senderUserId,
      enrolled_by_user_id: a.enrolledByUserId,
      inbox_id: a.inboxId,
      sender_email: a.senderEmail,
      to_email: a.toEmail,
      time_zone: a.timeZone,
      source: a.source,
      state: a.state,
      current_step: 0,
      next_step_type: a.nextStepType,
      next_due_at: a.nextDueAt,
      placeholder_values: a.placeholders,
      enrolled_at: a.now,
      updated_at: a.now,
      ended_at: a.endedAt,
    })
    .returningAll(),
);

/** Throws a unique violation (enrollments_one_running_per_contact) when the contact is already in a sequence. */
export async function insertEnrollment(db: Db, e: NewEnrollment, now: number): Promise<Enrollment> {
  const done = e.nextDueAt === null;
  const row = (await newEnrollment(db, { ...e, state: done ? 'FINISHED' : 'ACTIVE', placeholders: toJson(e.placeholderValues), now, endedAt: done ? now : null })).rows[0]!;
  return toEnrollment(row);
}

export async function getEnrollment(db: Db, id: number): Promise<Enrollment | null> {
  const r = await db.selectFrom('enrollments').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toEnrollment(r) : null;
}

export async function getRunningEnrollment(db: Db, contactId: number): Promise<Enrollment | null> {
  const r = await db
    .selectFrom('enrollments')
    .selectAll()
    .where('contact_id', '=', contactId)
    .where('state', 'in', ['ACTIVE', 'PAUSED'])
    .executeTakeFirst();
  return r ? toEnrollment(r) : null;
}

export async function listEnrollments(
  db: Db,
  filter: { contactId?: number; sequenceId?: number; senderUserId?: number; states?: EnrollmentState[]; limit?: number },
): Promise<Enrollment[]> {
  let q = db.selectFrom('enrollments').selectAll();
  if (filter.senderUserId !== undefined) q = q.where('sender_user_id', '=', filter.senderUserId);
  if (filter.contactId !== undefined) q = q.where('contact_id', '=', filter.contactId);
  if (filter.sequenceId !== undefined) q = q.where('sequence_id', '=', filter.sequenceId);
  if (filter.states) q = q.where('state', 'in', filter.states);
  const rows = await q.orderBy('id').limit(filter.limit ?? 1000).execute();
  return rows.map(toEnrollment);
}

/** What a pause kept of an enrollment: the delay left and the kind of step that waits. */
export async function getPausedState(db: Db, id: number): Promise<{ remainingMs: number | null; nextStepType: string | null } | null> {
  const r = await db.selectFrom('enrollments').select(['paused_remaining_ms', 'next_step_type']).where('id', '=', id).executeTakeFirst();
  return r ? { remainingMs: r.paused_remaining_ms, nextStepType: r.next_step_type } : null;
}

/** Ended enrollments of a sequence counted by their reason (REPLIED, BOUNCED, …). */
export async function countEnrollmentsByReason(db: Db, sequenceId: number): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('enrollments')
    .select(['reason', (eb) => eb.fn.countAll<number>().as('n')])
    .where('sequence_id', '=', sequenceId)
    .where('reason', 'is not', null)
    .groupBy('reason')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.reason!, Number(r.n)]));
}

/**
 * Claims due enrollments for one worker. The lease makes a crashed worker's claim expire;
 * SKIP LOCKED lets workers on PostgreSQL claim disjoint rows without waiting on each other.
 */
export async function claimDueEnrollments(
  db: Db,
  dialect: DialectName,
  opts: { worker: string; now: number; leaseMs: number; limit: number },
): Promise<Enrollment[]> {
  let due = db
    .selectFrom('enrollments')
    .select('id')
    .where('state', '=', 'ACTIVE')
    .where('next_due_at', '<=', opts.now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', opts.now)]))
    // Ties in creation order, so a run is predictable (the workflow forecast replays it).
    .orderBy('next_due_at')
    .orderBy('id')
    .limit(opts.limit);
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  const rows = await db
    .updateTable('enrollments')
    .set({ lease_owner: opts.worker, lease_until: opts.now + opts.leaseMs })
    .where('id', 'in', due)
    .returningAll()
    .execute();
  return rows.map(toEnrollment).sort((a, b) => (a.nextDueAt ?? 0) - (b.nextDueAt ?? 0) || a.id - b.id);
}

/** Extends this worker's leases on enrollments it is still working on (the heartbeat). */
export async function renewEnrollmentLeases(db: Db, ids: number[], worker: string, until: number): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('enrollments').set({ lease_until: until }).where('id', 'in', ids).where('lease_owner', '=', worker).execute();
}

/** Gives back claims this worker has not started (a graceful stop): due again at once for any worker. */
export async function releaseEnrollmentLeases(db: Db, ids: number[], worker: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('enrollments').set({ lease_owner: null, lease_until: null }).where('id', 'in', ids).where('lease_owner', '=', worker).execute();
}

/** The inbox's running enrollments that have a step due, oldest first (the workflow forecast replays them). */
export async function listDueEnrollmentsOfInbox(db: Db, inboxId: number): Promise<Enrollment[]> {
  const rows = await db.selectFrom('enrollments').selectAll().where('inbox_id', '=', inboxId).where('state', '=', 'ACTIVE').where('next_due_at', 'is not', null).orderBy('id').execute();
  return rows.map(toEnrollment);
}

/** The earliest due time of runnable work, for the fake clock's step-by-step advance. */
export async function earliestDue(db: Db): Promise<number | null> {
  const r = await db
    .selectFrom('enrollments')
    .select((eb) => eb.fn.min<number>('next_due_at').as('at'))
    .where('state', '=', 'ACTIVE')
    .executeTakeFirst();
  return r?.at == null ? null : Number(r.at);
}

/** The columns a conditional update may change. */
export type EnrollmentPatch = Updateable<EnrollmentsTable>;

/**
 * Updates an enrollment only while the guard holds (a conditional update, so a concurrent
 * unenroll or another worker's claim wins cleanly). Returns null when the guard failed.
 */
export async function updateEnrollment(
  db: Db,
  id: number,
  patch: Updateable<EnrollmentsTable>,
  guard: { leaseOwner?: string; states?: EnrollmentState[]; reason?: string; currentStep?: number } = {},
): Promise<Enrollment | null> {
  let q = db.updateTable('enrollments').set(patch).where('id', '=', id);
  if (guard.leaseOwner !== undefined) q = q.where('lease_owner', '=', guard.leaseOwner);
  if (guard.states) q = q.where('state', 'in', guard.states);
  if (guard.reason !== undefined) q = q.where('reason', '=', guard.reason);
  if (guard.currentStep !== undefined) q = q.where('current_step', '=', guard.currentStep);
  const r = await q.returningAll().executeTakeFirst();
  return r ? toEnrollment(r) : null;
}

/** Emails scheduled by running enrollments of an inbox with a due time in [from, to). */
export async function countScheduledEmails(db: Db, inboxId: number, from: number, to: number, excludeId?: number): Promise<number> {
  const r = await scheduledEmails(db, inboxId, from, to, excludeId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The inbox's running enrollments whose next step is an email due in [from, to): what the send limit counts ahead. */
export const scheduledEmails = (db: Db, inboxId: number, from: number, to: number, excludeId?: number) => {
  const q = db
    .selectFrom('enrollments')
    .where('inbox_id', '=', inboxId)
    // The partial index's condition written out (enrollments_inbox_scheduled): SQLite matches a
    // bound value against a partial index's `state = 'X'`, but never an IN list of bound values,
    // and then scanned every enrollment — 10.6 ms a count with 200,000 future steps.
    .where(sql<SqlBool>`state in ('ACTIVE', 'PAUSED') and next_step_type = 'EMAIL'`)
    .where('next_due_at', '>=', from)
    .where('next_due_at', '<', to);
  return excludeId === undefined ? q : q.where('id', '!=', excludeId);
};

export async function countEnrollmentsBySequence(
  db: Db,
  sequenceId: number,
): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('enrollments')
    .select(['state', sql<number>`count(*)`.as('n')])
    .where('sequence_id', '=', sequenceId)
    .groupBy('state')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

/**
 * Pauses ACTIVE enrollments — every one sending from an inbox, or one by id — for `reason`,
 * keeping each one's remaining delay as a manual pause does. Conditional on the state, so an
 * enrollment that ended or was paused meanwhile is left alone. Returns the paused ones.
 */
export async function pauseActiveEnrollments(db: Db, which: { inboxId: number } | { id: number }, reason: string, now: number): Promise<Enrollment[]> {
  const remaining = sql<number | null>`case when next_due_at is null then null when next_due_at > ${now} then next_due_at - ${now} else 0 end`;
  let q = db
    .updateTable('enrollments')
    .set({ state: 'PAUSED', reason, paused_remaining_ms: remaining, lease_owner: null, lease_until: null, updated_at: now })
    .where('state', '=', 'ACTIVE');
  q = 'id' in which ? q.where('id', '=', which.id) : q.where('inbox_id', '=', which.inboxId);
  const rows = await q.returningAll().execute();
  return rows.map(toEnrollment);
}

/** Enrollments of an inbox paused for `reason`, with what resuming them needs. */
export async function listPausedFor(db: Db, inboxId: number, reason: string): Promise<{ enrollment: Enrollment; pausedRemainingMs: number | null; nextStepType: string | null }[]> {
  const rows = await db.selectFrom('enrollments').selectAll().where('inbox_id', '=', inboxId).where('state', '=', 'PAUSED').where('reason', '=', reason).orderBy('id').execute();
  return rows.map((r) => ({ enrollment: toEnrollment(r), pausedRemainingMs: r.paused_remaining_ms, nextStepType: r.next_step_type }));
}

export async function countPausedFor(db: Db, inboxId: number, reason: string): Promise<number> {
  const r = await db
    .selectFrom('enrollments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('inbox_id', '=', inboxId)
    .where('state', '=', 'PAUSED')
    .where('reason', '=', reason)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** How many enrollments each inbox has paused for `reason` (inboxes with none are absent). */
export async function countPausedForByInbox(db: Db, reason: string): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('enrollments')
    .select((eb) => ['inbox_id', eb.fn.countAll<number>().as('n')])
    .where('state', '=', 'PAUSED')
    .where('reason', '=', reason)
    .groupBy('inbox_id')
    .execute();
  return new Map(rows.map((r) => [r.inbox_id, Number(r.n)]));
}

/** Resumes an enrollment only while it is still paused for `reason`: never one a person paused, resumed or ended meanwhile. */
export async function resumePausedFor(db: Db, id: number, reason: string, nextDueAt: number | null, now: number): Promise<Enrollment | null> {
  const r = await db
    .updateTable('enrollments')
    .set({ state: 'ACTIVE', reason: null, next_due_at: nextDueAt, paused_remaining_ms: null, updated_at: now })
    .where('id', '=', id)
    .where('state', '=', 'PAUSED')
    .where('reason', '=', reason)
    .returningAll()
    .executeTakeFirst();
  return r ? toEnrollment(r) : null;
}

/**
 * Takes an enrollment's row lock (PostgreSQL) with a no-op update, which both dialects accept;
 * SQLite's writers are serialised already. Used before a contact row is written in a transaction
 * that may go on to write the enrollment, so every such transaction locks enrollment, then
 * contact, and a reply racing the last step's send cannot deadlock against it.
 */
export async function lockEnrollmentRow(db: Db, id: number): Promise<void> {
  await db
    .updateTable('enrollments')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', id)
    .execute();
}
