import type { Contact } from '../domain/glossary.js';
import * as contacts from '../store/contacts.js';
import { fireListTriggers, recordEvent, type At } from './events.js';
import { isUniqueViolation } from '../store/json.js';
import { SeqflowError, notFound } from './errors.js';
import type { Deps } from './deps.js';
import { atNow, endRunningEnrollments } from './unenroll-contact.js';
import type { Kysely } from 'kysely';
import type { Schema } from '../store/schema.js';

/** HubSpot's exact 409 text, which scripts parse for the existing id. */
export const duplicateContactError = (existingId: number): SeqflowError =>
  new SeqflowError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existingId}`);

export async function createContact(deps: Deps, properties: Record<string, string | null>): Promise<Contact> {
  return deps.db.transaction((tx) => createContactIn(tx, atNow(deps), properties));
}

export async function createContactIn(tx: Kysely<Schema>, at: At, properties: Record<string, string | null>): Promise<Contact> {
  const now = at.now;
  const email = properties.email?.trim();
  if (email) {
    const existing = await contacts.getContactByEmail(tx, email);
    if (existing) throw duplicateContactError(existing.id);
  }
  try {
    const contact = await contacts.insertContact(tx, properties, now);
    await recordEvent(tx, at, contact.id, 'CONTACT_CREATED');
    await fireListTriggers(tx, at, contact.id, null, contactPropertiesOf(contact));
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
    const at = atNow(deps);
    const now = at.now;
    const contact = await contacts.getContact(tx, id);
    if (!contact) throw notFound('Contact', id);
    const email = patch.email?.trim();
    if (email && email.toLowerCase() !== contact.email?.toLowerCase()) {
      const other = await contacts.getContactByEmail(tx, email);
      if (other) throw duplicateContactError(other.id);
    }
    const updated = await contacts.updateContactProperties(tx, contact, patch, now);
    const changed = Object.keys(patch).filter((k) => (contact.properties[k] ?? null) !== (patch[k] ?? null));
    for (const property of changed) {
      await recordEvent(tx, at, id, 'PROPERTY_CHANGED', { property, value: patch[property] ?? null }, { hs_name: property, hs_value: patch[property] ?? null });
    }
    if (changed.length) await fireListTriggers(tx, at, id, contactPropertiesOf(contact), contactPropertiesOf(updated));
    return updated;
  });
}

/** Archiving a contact ends its enrollment (CONTACT_DELETED), as HubSpot does. */
export async function archiveContact(deps: Deps, id: number): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const at = atNow(deps);
    if (!(await contacts.archiveContact(tx, id, at.now))) throw notFound('Contact', id);
    await endRunningEnrollments(tx, { contactId: id }, 'CONTACT_DELETED', at);
  });
}

/** Properties as filters see them, including the ones Seqflow maintains. */
export const contactPropertiesOf = (c: Contact): Record<string, string | null> => ({
  ...c.properties,
  createdate: new Date(c.createdAt).toISOString(),
  lastmodifieddate: new Date(c.updatedAt).toISOString(),
  hs_object_id: String(c.id),
});
