import type { Contact } from '../domain/glossary.js';
import * as contacts from '../store/contacts.js';
import { appendEvent } from '../store/events.js';
import { isUniqueViolation } from '../store/json.js';
import { SeqflowError, notFound } from './errors.js';
import type { Deps } from './deps.js';
import { endRunningEnrollments } from './unenroll-contact.js';
import type { Kysely } from 'kysely';
import type { Schema } from '../store/schema.js';

/** HubSpot's exact 409 text, which scripts parse for the existing id. */
export const duplicateContactError = (existingId: number): SeqflowError =>
  new SeqflowError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existingId}`);

export async function createContact(deps: Deps, properties: Record<string, string | null>): Promise<Contact> {
  return deps.db.transaction((tx) => createContactIn(tx, deps.clock.now(), properties));
}

export async function createContactIn(tx: Kysely<Schema>, now: number, properties: Record<string, string | null>): Promise<Contact> {
  const email = properties.email?.trim();
  if (email) {
    const existing = await contacts.getContactByEmail(tx, email);
    if (existing) throw duplicateContactError(existing.id);
  }
  try {
    const contact = await contacts.insertContact(tx, properties, now);
    await appendEvent(tx, contact.id, 'CONTACT_CREATED', now);
    return contact;
  } catch (err) {
    // A concurrent create of the same email lost the race on the unique index.
    if (isUniqueViolation(err) && email) {
      throw new SeqflowError(409, 'CONFLICT', `Contact already exists. Existing ID: unknown (${email})`);
    }
    throw err;
  }
}

export async function requireContact(deps: Deps, id: number): Promise<Contact> {
  const contact = await contacts.getContact(deps.db.kysely, id);
  if (!contact) throw notFound('Contact', id);
  return contact;
}

export async function updateContact(deps: Deps, id: number, patch: Record<string, string | null>): Promise<Contact> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const contact = await contacts.getContact(tx, id);
    if (!contact) throw notFound('Contact', id);
    const email = patch.email?.trim();
    if (email && email.toLowerCase() !== contact.email?.toLowerCase()) {
      const other = await contacts.getContactByEmail(tx, email);
      if (other) throw duplicateContactError(other.id);
    }
    const updated = await contacts.updateContactProperties(tx, contact, patch, now);
    const changed = Object.keys(patch).filter((k) => (contact.properties[k] ?? null) !== (patch[k] ?? null));
    if (changed.length) await appendEvent(tx, id, 'PROPERTY_CHANGED', now, { properties: changed });
    return updated;
  });
}

/** Archiving a contact ends its enrollment (CONTACT_DELETED), as HubSpot does. */
export async function archiveContact(deps: Deps, id: number): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    if (!(await contacts.archiveContact(tx, id, now))) throw notFound('Contact', id);
    await endRunningEnrollments(tx, { contactId: id }, 'CONTACT_DELETED', now);
  });
}
