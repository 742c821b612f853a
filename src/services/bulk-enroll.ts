import { requestRejection } from '../domain/enrollment-checks.js';
import type { EnrollmentRejection } from '../domain/reasons.js';
import { DAY_MS } from '../domain/send-limits.js';
import { getContact } from '../store/contacts.js';
import { listInboxesOfUser } from '../store/inboxes.js';
import { membershipPage } from '../store/lists.js';
import { getSequence } from '../store/sequences.js';
import { getUser } from '../store/users.js';
import type { Deps } from './deps.js';
import { enrollContact, enrollmentVerdict, firstStepOf, type EnrollInput } from './enroll-contact.js';
import { errors, isError } from './errors.js';
import { requireList } from './lists.js';

export interface BulkEnrollRequest {
  listId: number;
  sequenceId: number;
  senderUserId: number;
  senderEmail: string;
  enrolledByUserId?: number;
  source: EnrollInput['source'];
}

export interface BulkEnrollResult {
  contactId: number;
  email: string | null;
  outcome: 'ENROLLED' | 'WOULD_ENROLL' | 'SKIPPED';
  reason?: EnrollmentRejection;
  enrollmentId?: number;
}

/** The live members of a list, in contact id order. */
async function memberIds(deps: Deps, listId: number): Promise<number[]> {
  const out: number[] = [];
  for (let after = 0; ; ) {
    const page = await membershipPage(deps.db.kysely, listId, { after, limit: 1000 });
    if (!page.length) return out;
    out.push(...page.map((m) => m.contactId));
    after = page[page.length - 1].contactId;
  }
}

/** A sequence or sender the whole request names wrongly enrolls no one: refused before anything is looked at per contact. */
async function checkRequest(deps: Deps, r: BulkEnrollRequest, seatRule: 'sequences'): Promise<void> {
  const db = deps.db.kysely;
  const sender = await getUser(db, r.senderUserId);
  const rejection = requestRejection({
    sequence: await getSequence(db, r.sequenceId, { includeDeleted: true }),
    sender,
    senderInboxes: sender ? await listInboxesOfUser(db, sender.id) : [],
    senderEmail: r.senderEmail,
    eligibleSeats: deps.config.seatPolicy[seatRule],
  });
  if (rejection) throw errors.enrollmentRejected({ reason: rejection });
}

/**
 * Enrolls a list's members in a sequence, or previews doing so (PRODUCT §3.5 for each member).
 *
 * The preview writes nothing: it runs the same checks as an enrollment (enrollmentVerdict),
 * counting the emails its own would-be enrollments schedule against the inbox's send limit, so
 * its verdicts are the ones a real run reaches if nothing changes in between. The real run
 * enrolls each member in its own transaction (enrollContact): a contact that cannot be enrolled
 * is reported with its reason code and the others go ahead.
 */
export async function bulkEnrollFromList(deps: Deps, r: BulkEnrollRequest, o: { preview: boolean }): Promise<BulkEnrollResult[]> {
  await requireList(deps, r.listId);
  await checkRequest(deps, r, 'sequences');
  const ids = await memberIds(deps, r.listId);
  const input = (contactId: number): EnrollInput => ({
    contactId,
    sequenceId: r.sequenceId,
    senderUserId: r.senderUserId,
    senderEmail: r.senderEmail,
    enrolledByUserId: r.enrolledByUserId,
    source: r.source,
  });
  const results: BulkEnrollResult[] = [];
  if (o.preview) {
    const db = deps.db.kysely;
    let extraScheduled = 0;
    for (const contactId of ids) {
      const v = await enrollmentVerdict(db, deps, input(contactId), { countLimit: true, extraScheduled });
      const email = v.contact?.email ?? null;
      if (v.rejection) {
        results.push({ contactId, email, outcome: 'SKIPPED', reason: v.rejection });
        continue;
      }
      results.push({ contactId, email, outcome: 'WOULD_ENROLL' });
      const first = await firstStepOf(db, deps, { sequence: v.sequence!, contact: v.contact!, sender: v.sender! });
      const now = deps.clock.now();
      if (first.first?.type === 'EMAIL' && first.dueAt !== null && first.dueAt >= now && first.dueAt < now + DAY_MS) extraScheduled++;
    }
    return results;
  }
  for (const contactId of ids) {
    try {
      const e = await enrollContact(deps, input(contactId));
      results.push({ contactId, email: e.toEmail, outcome: 'ENROLLED', enrollmentId: e.id });
    } catch (err) {
      if (!isError(err, 'ENROLLMENT_REJECTED')) throw err;
      const contact = await getContact(deps.db.kysely, contactId, { includeArchived: true });
      results.push({ contactId, email: contact?.email ?? null, outcome: 'SKIPPED', reason: err.details.reason });
    }
  }
  return results;
}
