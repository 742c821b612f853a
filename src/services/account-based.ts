import type { Contact, Enrollment } from '../domain/glossary.js';
import { companyDomainOfEmail } from '../domain/companies.js';
import type { EnrollmentEndReason } from '../domain/reasons.js';
import { companyLinksOfContacts, contactLinksOfCompanies } from '../store/companies.js';
import { getContact } from '../store/contacts.js';
import type { Tx } from '../store/database.js';
import { getRunningEnrollment, listEnrollments } from '../store/enrollments.js';
import { getSequence } from '../store/sequences.js';
import type { At } from './events.js';
import { endEnrollment } from './unenroll-contact.js';

/**
 * ACCOUNT_BASED sequences (PRODUCT §3.6, issue #13): a reply or a booked meeting from anyone at a
 * company ends the running enrollments of that company's other contacts.
 *
 * Who "the company" is: the companies the contact is associated with (any label). A contact
 * with no company association falls back to the rule from before companies existed: the same
 * `company` property (case-insensitive) or the same non-free-mail email domain, among the
 * contacts running in the same sequence.
 */

/** Colleagues by association: every other contact associated with one of the contact's companies; null when it has none. */
async function associatedColleagues(tx: Tx, contactId: number): Promise<Set<number> | null> {
  const companyIds = (await companyLinksOfContacts(tx, [contactId])).map((l) => l.companyId);
  if (companyIds.length === 0) return null;
  return new Set((await contactLinksOfCompanies(tx, companyIds)).map((l) => l.contactId).filter((id) => id !== contactId));
}

/** The fallback rule: same `company` property or same non-free-mail domain. */
function sameCompanyByProperties(a: Contact | null, b: Contact | null): boolean {
  if (!a || !b) return false;
  const company = a.properties.company?.trim().toLowerCase() || null;
  const domain = companyDomainOfEmail(a.email);
  return (!!company && b.properties.company?.trim().toLowerCase() === company) || (!!domain && companyDomainOfEmail(b.email) === domain);
}

/** A reply in an ACCOUNT_BASED sequence: the replier's colleagues in this sequence end COMPANY_REPLIED. */
export async function endCompanyEnrollmentsOnReply(tx: Tx, at: At, replied: Enrollment): Promise<void> {
  await endColleaguesInSequence(tx, at, replied, 'COMPANY_REPLIED');
}

async function endColleaguesInSequence(tx: Tx, at: At, e: Enrollment, reason: EnrollmentEndReason): Promise<void> {
  const colleagues = await associatedColleagues(tx, e.contactId);
  const self = colleagues ? null : await getContact(tx, e.contactId, { includeArchived: true });
  const running = await listEnrollments(tx, { sequenceId: e.sequenceId, states: ['ACTIVE', 'PAUSED'], limit: 100_000 });
  for (const other of running) {
    if (other.id === e.id || other.contactId === e.contactId) continue;
    const match = colleagues ? colleagues.has(other.contactId) : sameCompanyByProperties(self, await getContact(tx, other.contactId, { includeArchived: true }));
    if (match) await endEnrollment(tx, other, reason, at);
  }
}

/**
 * A meeting booked by a contact: each colleague running in an ACCOUNT_BASED sequence that ends on
 * meetings (and whose sender or enroller the meeting is with, when it names an owner) ends
 * COMPANY_MEETING_BOOKED. Colleagues by association; a booker without a company falls back to
 * the property rule within the sequence the booker was running in.
 */
export async function endCompanyEnrollmentsOnMeeting(tx: Tx, at: At, bookerId: number, ownerId: number | null, bookerEnrollment: Enrollment | null): Promise<void> {
  const colleagues = await associatedColleagues(tx, bookerId);
  const candidates: Enrollment[] = [];
  if (colleagues) {
    for (const id of colleagues) {
      const running = await getRunningEnrollment(tx, id);
      if (running) candidates.push(running);
    }
  } else if (bookerEnrollment) {
    const self = await getContact(tx, bookerId, { includeArchived: true });
    for (const other of await listEnrollments(tx, { sequenceId: bookerEnrollment.sequenceId, states: ['ACTIVE', 'PAUSED'], limit: 100_000 })) {
      if (other.contactId !== bookerId && sameCompanyByProperties(self, await getContact(tx, other.contactId, { includeArchived: true }))) candidates.push(other);
    }
  }
  for (const other of candidates) {
    const sequence = await getSequence(tx, other.sequenceId, { includeDeleted: true });
    if (sequence?.settings.sellingStrategy !== 'ACCOUNT_BASED' || sequence.settings.unenrollOnMeeting === false) continue;
    const withEnrollingUser = ownerId === null || ownerId === other.senderUserId || ownerId === other.enrolledByUserId;
    if (withEnrollingUser) await endEnrollment(tx, other, 'COMPANY_MEETING_BOOKED', at);
  }
}
