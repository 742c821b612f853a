import type { Contact, User } from '../types';

export const dateTime = (iso: string | undefined | null) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—');
export const dateOnly = (iso: string | undefined | null) => (iso ? new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' }) : '—');

export const userName = (u: Pick<User, 'firstName' | 'lastName' | 'email'>) => [u.firstName, u.lastName].filter(Boolean).join(' ') || u.email;
export const contactName = (c: Contact) => [c.properties.firstname, c.properties.lastname].filter(Boolean).join(' ') || c.properties.email || `Contact ${c.id}`;

export const SEAT_LABELS: Record<string, string> = {
  none: 'No seat',
  sales_starter: 'Sales Hub Starter',
  sales_professional: 'Sales Hub Professional',
  sales_enterprise: 'Sales Hub Enterprise',
  service_starter: 'Service Hub Starter',
  service_professional: 'Service Hub Professional',
  service_enterprise: 'Service Hub Enterprise',
};
export const SEATS = Object.keys(SEAT_LABELS);

/** PRODUCT §2: who may be the sender of a workflow's Enroll-in-sequence action (the server's default policy). */
export const WORKFLOW_SENDER_SEATS = ['sales_professional', 'sales_enterprise', 'service_enterprise'];

/** Reason codes (enrollment ends, rejections, action log) as sentences. */
export const REASONS: Record<string, string> = {
  REPLIED: 'The contact replied.',
  COMPANY_REPLIED: 'Another contact of the same company replied.',
  MEETING_BOOKED: 'A meeting was booked.',
  BOUNCED: 'The email bounced.',
  UNSUBSCRIBED: 'The contact unsubscribed.',
  CONTACT_DELETED: 'The contact was deleted.',
  SEQUENCE_DELETED: 'The sequence was deleted.',
  SENDER_REMOVED: 'The sender was removed or lost an eligible seat.',
  MANUAL: 'Unenrolled by a user.',
  WORKFLOW: 'Unenrolled by a workflow.',
  MISSING_TOKEN_VALUE: 'Paused: an email needs a token value the contact does not have.',
  UNFILLED_PLACEHOLDER: 'Paused: an email has a placeholder the sender must fill in.',
  SEND_UNCERTAIN: 'A send was interrupted; check whether it went out.',
  SENDER_INBOX_DISCONNECTED: "The sender's inbox is disconnected.",
  EMAIL_REJECTED: 'The mail server rejected the email.',
  TEMPLATE_RENDER_FAILED: 'Paused: an email could not be rendered (a template error or limit).',
  REPLY_DETECTION_DOWN: "Paused: replies to the sender's inbox cannot be read right now; resumes when they can.",
  COMPANY_MEETING_BOOKED: 'Another contact of the same company booked a meeting.',
  SEQUENCE_NOT_FOUND: 'The sequence does not exist or was deleted.',
  CONTACT_NOT_FOUND: 'The contact does not exist.',
  NO_EMAIL_ADDRESS: 'The contact has no email address.',
  SENDER_NOT_FOUND: 'The sender is not a user of this account.',
  SENDER_NO_SEAT: 'The sender does not have a seat that allows sequences.',
  SENDER_ADDRESS_NOT_ALLOWED: "The send-from address is not the sender's inbox address or one of its aliases.",
  BLOCKED_ADDRESS: "The contact's email address is blocked.",
  BLOCKED_DOMAIN: "The contact's email domain is blocked.",
  ALREADY_ENROLLED: 'The contact is already in a sequence (one at a time).',
  SEND_LIMIT_REACHED: "The sender's daily send limit is reached.",
  NOT_ENROLLED: 'The contact was not in a sequence.',
  INBOX_DISCONNECTED: "Waiting: the sender's mailbox lost its sign-in; resumes after the reconnect.",
};
export const reasonText = (code: string | undefined | null) => (code ? (REASONS[code] ?? code) : '');

export const STATE_LABELS: Record<string, string> = {
  ACTIVE: 'Active',
  PAUSED: 'Paused',
  FINISHED: 'Finished',
  UNENROLLED: 'Unenrolled',
  FAILED: 'Failed',
};

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function durationText(ms: number): string {
  if (ms === 0) return 'immediately';
  const units: [number, string][] = [
    [7 * 86_400_000, 'week'],
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ];
  for (const [size, name] of units) if (ms % size === 0) return plural(ms / size, name);
  return `${Math.round(ms / 60_000)} minutes`;
}

export const minuteToTime = (m: number) => `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
export const timeToMinute = (t: string) => {
  const [h, m] = t.split(':').map(Number);
  return h * 60 + (m || 0);
};
