import type { Db } from '../../store/database.js';
import { getContact } from '../../store/contacts.js';
import { getUser } from '../../store/users.js';
import type { User } from '../../domain/glossary.js';
import { TemplateRenderError } from '../../domain/templates.js';
import { contactPropertiesOf } from '../contacts.js';
import type { Deps } from '../deps.js';
import type { InputField } from './action.js';

/**
 * What the two "notify users" actions share (internal email, in-app): HubSpot's fields, the
 * people they reach and the contact tokens of their text.
 */
export const NOTIFY_FIELDS: readonly InputField[] = [
  { name: 'user_ids', type: 'object', required: false },
  { name: 'owner_properties', type: 'object', required: false },
  { name: 'subject', type: 'string', required: true },
  { name: 'body', type: 'string', required: true },
];

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? v.split(',').map((s) => s.trim()) : []);

/** Seqflow has no teams: `team_ids` (HubSpot's) is refused rather than ignored. */
export function validateNotify(name: string, f: Record<string, unknown>): string | null {
  if (list(f.team_ids).length) return `${name}: Seqflow has no teams; name users (user_ids) or the contact owner (owner_properties).`;
  const ids = list(f.user_ids);
  if (ids.some((id) => !/^\d+$/.test(id))) return `${name}: user_ids must be user ids.`;
  if (!ids.length && !list(f.owner_properties).length) return `${name}: choose at least one recipient (user_ids or owner_properties).`;
  if (typeof f.subject !== 'string' || !f.subject.trim()) return `${name}: the subject is empty.`;
  if (typeof f.body !== 'string' || !f.body.trim()) return `${name}: the body is empty.`;
  return null;
}

export interface Notice {
  contactId: number;
  recipients: User[];
  subject: string;
  html: string;
  text: string;
}

/** Why nothing is sent, for the log. */
export type NoNotice = { status: 'SKIPPED' | 'FAILED'; reasonCode: string; reasonText: string };

/**
 * The named users and the users in the contact's owner properties (hubspot_owner_id), once
 * each, with the text rendered for this contact by the email template renderer.
 */
export async function noticeFor(db: Db, deps: Deps, contactId: number, f: Record<string, unknown>): Promise<Notice | NoNotice> {
  const contact = await getContact(db, contactId);
  if (!contact) return { status: 'SKIPPED', reasonCode: 'CONTACT_NOT_FOUND', reasonText: 'Skipped: the contact was deleted.' };
  const props = contactPropertiesOf(contact);
  const ids = new Set([...list(f.user_ids), ...list(f.owner_properties).map((p) => props[p] ?? '')].filter((id) => /^\d+$/.test(id)).map(Number));
  const recipients: User[] = [];
  for (const id of ids) {
    const user = await getUser(db, id);
    if (user) recipients.push(user);
  }
  if (!recipients.length) return { status: 'SKIPPED', reasonCode: 'NO_RECIPIENTS', reasonText: 'Skipped: none of the recipients is a user of this account (is the contact owner set?).' };
  try {
    const r = await deps.renderer.render({ subject: String(f.subject ?? ''), body: String(f.body ?? '') }, { contact: props, sender: {} });
    return { contactId, recipients, subject: r.subject, html: r.html, text: r.text };
  } catch (err) {
    if (err instanceof TemplateRenderError) return { status: 'FAILED', reasonCode: 'TEMPLATE_ERROR', reasonText: `The notification's text cannot be rendered: ${err.message}` };
    throw err;
  }
}

export const isNotice = (n: Notice | NoNotice): n is Notice => 'recipients' in n;
