/**
 * Reason codes, in the order PRODUCT §3.5 checks them. The order is the contract: the first
 * code that applies is the one returned.
 */
export const ENROLLMENT_REJECTIONS = [
  'SEQUENCE_NOT_FOUND',
  'CONTACT_NOT_FOUND',
  'NO_EMAIL_ADDRESS',
  'SENDER_NOT_FOUND',
  'SENDER_NO_SEAT',
  'SENDER_INBOX_DISCONNECTED',
  'SENDER_ADDRESS_NOT_ALLOWED',
  'UNSUBSCRIBED',
  'BOUNCED',
  'BLOCKED_ADDRESS',
  'BLOCKED_DOMAIN',
  'ALREADY_ENROLLED',
  'SEND_LIMIT_REACHED',
] as const;
export type EnrollmentRejection = (typeof ENROLLMENT_REJECTIONS)[number];

/** Why an enrollment ended or paused (PRODUCT §3.6, §3.8, and the send protocol). */
export const ENROLLMENT_END_REASONS = [
  'REPLIED',
  'COMPANY_REPLIED',
  'MEETING_BOOKED',
  'BOUNCED',
  'UNSUBSCRIBED',
  'CONTACT_DELETED',
  'SEQUENCE_DELETED',
  'SENDER_REMOVED',
  'MANUAL',
  'WORKFLOW',
  'MISSING_TOKEN_VALUE',
  'UNFILLED_PLACEHOLDER',
  'SEND_UNCERTAIN',
  'SENDER_INBOX_DISCONNECTED',
  'EMAIL_REJECTED',
  'TEMPLATE_RENDER_FAILED',
  // Paused while the inbox's reply watcher is down (issue #10); resumed when it syncs again.
  'REPLY_DETECTION_DOWN',
  // ACCOUNT_BASED: a colleague (same company) booked a meeting (issue #13).
  'COMPANY_MEETING_BOOKED',
  // Paused while an OAuth inbox has lost access (issue #16); resumed after the reconnect.
  'INBOX_DISCONNECTED',
] as const;
export type EnrollmentEndReason = (typeof ENROLLMENT_END_REASONS)[number];

const REJECTION_TEXT: Record<EnrollmentRejection, string> = {
  SEQUENCE_NOT_FOUND: 'The sequence does not exist or was deleted.',
  CONTACT_NOT_FOUND: 'The contact does not exist.',
  NO_EMAIL_ADDRESS: 'The contact has no email address.',
  SENDER_NOT_FOUND: 'The sender is not a user of this account.',
  SENDER_NO_SEAT: 'The sender does not have a seat that allows sequences.',
  SENDER_INBOX_DISCONNECTED: 'The sender has no connected inbox.',
  SENDER_ADDRESS_NOT_ALLOWED: "The send-from address is not the sender's inbox address or one of its aliases.",
  UNSUBSCRIBED: 'The contact unsubscribed from sales email.',
  BOUNCED: "The contact's email address bounced before.",
  BLOCKED_ADDRESS: "The contact's email address is blocked.",
  BLOCKED_DOMAIN: "The contact's email domain is blocked.",
  ALREADY_ENROLLED: 'The contact is already enrolled in a sequence; a contact can be in only one sequence at a time.',
  SEND_LIMIT_REACHED: "The sender's inbox has reached its daily sequence send limit.",
};

export const rejectionText = (code: EnrollmentRejection): string => REJECTION_TEXT[code];

/**
 * Why an inbound message was quarantined: recorded with its first bytes and skipped, so the
 * messages behind it are still read (issue #9).
 */
export const INBOUND_QUARANTINE_REASONS = [
  'HEADER_TOO_LARGE',
  'TOO_MANY_PARTS',
  'NOT_A_MESSAGE',
  'UNPARSEABLE',
  'PROCESSING_FAILED',
] as const;
export type InboundQuarantineReason = (typeof INBOUND_QUARANTINE_REASONS)[number];

const QUARANTINE_TEXT: Record<InboundQuarantineReason, string> = {
  HEADER_TOO_LARGE: 'The header block is larger than Seqflow reads.',
  TOO_MANY_PARTS: 'The message has more MIME parts (or nesting levels) than Seqflow reads.',
  NOT_A_MESSAGE: 'The bytes are not an email: no From, Sender, Message-ID or Date header.',
  UNPARSEABLE: 'The message could not be parsed.',
  PROCESSING_FAILED: 'Processing the message failed repeatedly.',
};

export const quarantineText = (reason: InboundQuarantineReason): string => QUARANTINE_TEXT[reason];
