import type { Contact, Inbox, Sequence, User } from './glossary.js';
import type { EnrollmentRejection } from './reasons.js';
import type { Seat } from './glossary.js';

/** Everything the checks of PRODUCT §3.5 look at, read by the caller in one transaction. */
export interface EnrollmentFacts {
  sequence: Sequence | null;
  contact: Contact | null;
  sender: User | null;
  senderInboxes: Inbox[];
  senderEmail: string;
  eligibleSeats: Seat[];
  blocked: 'BLOCKED_ADDRESS' | 'BLOCKED_DOMAIN' | null;
  alreadyEnrolled: boolean;
  limitHasRoom: boolean;
}

/** The inbox whose primary address or alias is `address`, among connected inboxes. */
export function inboxForAddress(inboxes: Inbox[], address: string): Inbox | null {
  const key = address.trim().toLowerCase();
  return (
    inboxes.find(
      (i) => i.status === 'connected' && (i.address.toLowerCase() === key || i.aliases.some((a) => a.toLowerCase() === key)),
    ) ?? null
  );
}

/** The first rejection that applies, in the order of PRODUCT §3.5, or null when the contact may be enrolled. */
export function firstRejection(f: EnrollmentFacts): EnrollmentRejection | null {
  const sequence = sequenceRejection(f);
  if (sequence) return sequence;
  if (!f.contact || f.contact.archivedAt !== null) return 'CONTACT_NOT_FOUND';
  if (!f.contact.email) return 'NO_EMAIL_ADDRESS';
  const sender = senderRejection(f);
  if (sender) return sender;
  if (f.contact.unsubscribedAt !== null) return 'UNSUBSCRIBED';
  if (f.contact.bouncedAt !== null) return 'BOUNCED';
  if (f.blocked) return f.blocked;
  if (f.alreadyEnrolled) return 'ALREADY_ENROLLED';
  if (!f.limitHasRoom) return 'SEND_LIMIT_REACHED';
  return null;
}

type RequestFacts = Pick<EnrollmentFacts, 'sequence' | 'sender' | 'senderInboxes' | 'senderEmail' | 'eligibleSeats'>;

const sequenceRejection = (f: RequestFacts): EnrollmentRejection | null => (!f.sequence || f.sequence.deletedAt !== null ? 'SEQUENCE_NOT_FOUND' : null);

function senderRejection(f: RequestFacts): EnrollmentRejection | null {
  if (!f.sender || f.sender.deletedAt !== null) return 'SENDER_NOT_FOUND';
  if (!f.eligibleSeats.includes(f.sender.seat)) return 'SENDER_NO_SEAT';
  if (!f.senderInboxes.some((i) => i.status === 'connected')) return 'SENDER_INBOX_DISCONNECTED';
  if (!inboxForAddress(f.senderInboxes, f.senderEmail)) return 'SENDER_ADDRESS_NOT_ALLOWED';
  return null;
}

/**
 * The rejections that are about the request rather than a contact (the sequence, the sender,
 * the send-from address): a bulk enrollment with one of them enrolls no one, so it is refused whole.
 */
export const requestRejection = (f: RequestFacts): EnrollmentRejection | null => sequenceRejection(f) ?? senderRejection(f);
