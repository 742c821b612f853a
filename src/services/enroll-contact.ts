import type { Contact, Enrollment, EnrollmentSource, Inbox, Sequence, User } from '../domain/glossary.js';
import type { EnrollmentRejection } from '../domain/reasons.js';
import { inSavepoint, type Tx } from '../store/database.js';
import { firstRejection, inboxForAddress } from '../domain/enrollment-checks.js';
import { firstStepDue } from '../domain/schedule.js';
import { DAY_MS, hasRoomForEnrollment } from '../domain/send-limits.js';
import type { SeatPolicy } from '../domain/seats.js';
import { getContact, isBlocked } from '../store/contacts.js';
import { getRunningEnrollment, insertEnrollment } from '../store/enrollments.js';
import { recordEvent } from './events.js';
import { listInboxesOfUser, lockInbox } from '../store/inboxes.js';
import { isUniqueViolation } from '../store/json.js';
import { countSentAndScheduled } from '../store/sends.js';
import { getSequence, getSteps } from '../store/sequences.js';
import { getUser } from '../store/users.js';
import { errors } from './errors.js';
import type { Deps } from './deps.js';
import { enrollmentTimeZone, scheduleRules } from './schedule-rules.js';
import { holdIfReplyDetectionDown } from './reply-detection.js';

export interface EnrollInput {
  contactId: number;
  sequenceId: number;
  /** The sender: the user whose inbox sends (HubSpot's `userId`). */
  senderUserId: number;
  /** Who asked for the enrollment (a user, or the sender when a workflow enrolls). */
  enrolledByUserId?: number;
  /** The inbox's primary address (HubSpot's `senderEmail`). */
  senderEmail: string;
  /** An alias of that inbox to send from (HubSpot's `senderAliasAddress`). */
  senderAliasAddress?: string;
  source: EnrollmentSource;
  useContactTimeZone?: boolean;
  placeholderValues?: Record<string, string>;
  /** Which seats may send: sequences at large, or the stricter workflow-sender set (PRODUCT §2). */
  seatRule?: keyof SeatPolicy;
}

/**
 * Enrolls a contact after every check of PRODUCT §3.5, in order, inside one transaction.
 * The one-running-enrollment rule is also the database's: a concurrent enrollment of the same
 * contact fails on the unique index and is reported as ALREADY_ENROLLED. The inbox row lock
 * makes the send-limit count and the insert atomic across workers.
 */
export async function enrollContact(deps: Deps, input: EnrollInput): Promise<Enrollment> {
  try {
    return await deps.db.transaction((tx) => enrollContactIn(tx, deps, input));
  } catch (err) {
    if (isAlreadyEnrolledViolation(err)) throw errors.enrollmentRejected({ reason: 'ALREADY_ENROLLED' });
    throw err;
  }
}

/** A concurrent enrollment of the same contact lost the race on the unique index. */
export const isAlreadyEnrolledViolation = (err: unknown): boolean =>
  isUniqueViolation(err, 'enrollments_one_running_per_contact') || isUniqueViolation(err, 'enrollments.contact_id');

/** What the checks of PRODUCT §3.5 found for one enrollment, with the rows they read. */
export interface EnrollmentVerdict {
  rejection: EnrollmentRejection | null;
  sequence: Sequence | null;
  contact: Contact | null;
  sender: User | null;
  inbox: Inbox | null;
  fromAddress: string;
}

/**
 * The checks of PRODUCT §3.5 for one enrollment as the database stands, writing nothing.
 * `countLimit: false` leaves the send limit (the last check) to the caller, which counts it under
 * the inbox lock once its enrollment is written; `extraScheduled` counts emails a dry run of
 * several enrollments has already "scheduled" from the same inbox, so its send-limit verdicts are
 * the ones a real run would reach.
 */
export async function enrollmentVerdict(tx: Tx, deps: Deps, input: EnrollInput, o: { countLimit: boolean; extraScheduled?: number }): Promise<EnrollmentVerdict> {
  const now = deps.clock.now();
  const sequence = await getSequence(tx, input.sequenceId, { includeDeleted: true });
  const contact = await getContact(tx, input.contactId);
  const sender = await getUser(tx, input.senderUserId);
  const senderInboxes = sender ? await listInboxesOfUser(tx, sender.id) : [];
  const fromAddress = input.senderAliasAddress?.trim() || input.senderEmail;
  const inbox = inboxForAddress(senderInboxes, input.senderEmail);
  // An alias must belong to the same inbox as senderEmail.
  const aliasOk = !input.senderAliasAddress || (inbox !== null && inboxForAddress([inbox], fromAddress) !== null);

  const blocked = contact?.email ? await isBlocked(tx, contact.email) : null;
  const alreadyEnrolled = contact ? (await getRunningEnrollment(tx, contact.id)) !== null : false;
  const limitHasRoom = inbox && o.countLimit ? await inboxHasRoom(tx, inbox, now, { extraScheduled: o.extraScheduled }) : true;
  const rejection = firstRejection({
    sequence,
    contact,
    sender,
    senderInboxes,
    senderEmail: aliasOk ? input.senderEmail : '',
    eligibleSeats: deps.config.seatPolicy[input.seatRule ?? 'sequences'],
    blocked,
    alreadyEnrolled,
    limitHasRoom,
  });
  return { rejection, sequence, contact, sender, inbox, fromAddress };
}

/** Whether the inbox's sends of the last 24 h and emails due in the next 24 h leave room for one more enrollment (PRODUCT §3.6). */
async function inboxHasRoom(tx: Tx, inbox: Inbox, now: number, o: { extraScheduled?: number; excludeEnrollmentId?: number }): Promise<boolean> {
  const counts = await countSentAndScheduled(tx, inbox.id, now - DAY_MS, { from: now, to: now + DAY_MS, excludeEnrollmentId: o.excludeEnrollmentId });
  return hasRoomForEnrollment({ sentLast24h: counts.sent, scheduledNext24h: counts.scheduled + (o.extraScheduled ?? 0) }, inbox.dailyLimit);
}

/** When the first step of an enrollment starting now falls due, and whether it is an email. */
export async function firstStepOf(tx: Tx, deps: Deps, v: { sequence: Sequence; contact: Contact; sender: User }, useContactTimeZone = false) {
  const now = deps.clock.now();
  const steps = await getSteps(tx, v.sequence.id, v.sequence.version);
  const zone = enrollmentTimeZone(v.contact, v.sender, useContactTimeZone, deps.config.accountTimeZone);
  const first = steps[0];
  return { zone, first, dueAt: first ? firstStepDue(now, first.delayMillis, await scheduleRules(tx, v.sequence, zone, v.sender.id), first.type === 'EMAIL') : null };
}

/**
 * enrollContact inside a caller's transaction (a workflow action commits it with its log entry).
 *
 * The send limit is checked last, under the inbox row lock that makes the count and this
 * enrollment atomic across workers. Every enrollment and send of the inbox waits in line for that
 * lock until the transaction commits, so it is taken after everything else is written (the
 * enrollment, its events and what they trigger), inside a savepoint that undoes those writes when
 * the limit turns the enrollment away: the caller's transaction goes on (a workflow logs the skip).
 */
export async function enrollContactIn(tx: Tx, deps: Deps, input: EnrollInput): Promise<Enrollment> {
  const now = deps.clock.now();
  const verdict = await enrollmentVerdict(tx, deps, input, { countLimit: false });
  if (verdict.rejection) throw errors.enrollmentRejected({ reason: verdict.rejection });
  const { fromAddress } = verdict;

  // firstRejection vouched for all of these.
  const seq = verdict.sequence!, c = verdict.contact!, s = verdict.sender!, box = verdict.inbox!;
  const { zone, first, dueAt } = await firstStepOf(tx, deps, { sequence: seq, contact: c, sender: s }, input.useContactTimeZone ?? false);
  return inSavepoint(tx, 'enroll', async () => {
    const enrollment = await insertEnrollment(
      tx,
      {
        contactId: c.id,
        sequenceId: seq.id,
        sequenceVersion: seq.version,
        senderUserId: s.id,
        enrolledByUserId: input.enrolledByUserId ?? s.id,
        inboxId: box.id,
        senderEmail: fromAddress,
        toEmail: c.email!,
        timeZone: zone,
        source: input.source,
        nextStepType: first?.type ?? null,
        nextDueAt: dueAt,
        placeholderValues: input.placeholderValues ?? {},
      },
      now,
    );
    await recordEvent(
      tx,
      { now, zone: deps.config.accountTimeZone },
      c.id,
      'SEQUENCE_ENROLLED',
      { enrollmentId: enrollment.id, sequenceId: seq.id, source: input.source },
      { hs_sequence_id: String(seq.id) },
    );
    // The inbox's replies cannot be read right now: start paused, and start for real when they can.
    const held = await holdIfReplyDetectionDown(tx, deps, enrollment);
    await lockInbox(tx, deps.db.dialect, box.id);
    if (!(await inboxHasRoom(tx, box, now, { excludeEnrollmentId: enrollment.id }))) throw errors.enrollmentRejected({ reason: 'SEND_LIMIT_REACHED' });
    return held;
  }).catch((err: unknown) => {
    // A concurrent enrollment of the same contact won the race on the unique index; the savepoint
    // kept the caller's transaction usable, so a workflow logs this like any other rejection.
    throw isAlreadyEnrolledViolation(err) ? errors.enrollmentRejected({ reason: 'ALREADY_ENROLLED' }) : err;
  });
}
