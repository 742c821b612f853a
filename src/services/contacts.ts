import type { Contact, ContactEvent } from '../domain/glossary.js';
import * as contacts from '../store/contacts.js';
import type { PropertySource } from '../store/contacts.js';
import type { Tx } from '../store/database.js';
import { listEvents } from '../store/events.js';
import { fireListTriggers, recordEvent, type At } from './events.js';
import { isUniqueViolation } from '../store/json.js';
import { SeqflowError, errors } from './errors.js';
import type { Deps } from './deps.js';
import { atNow, endRunningEnrollments } from './unenroll-contact.js';
import { ASSOCIATED_COMPANY_ID, ASSOCIATIONS_SOURCE, applyAssociatedCompanyId, autoAssociateContact, moveCompanyLinks } from './company-links.js';
import { associateOnCreate, type CreateAssociations } from './associations.js';
import { checkPropertyValues } from './properties.js';
import { contactProperties } from '../domain/properties.js';

/** HubSpot's exact 409 text, which scripts parse for the existing id. */
export const duplicateContactError = (existingId: number): SeqflowError<'CONTACT_EXISTS'> => errors.contactExists({ existingId });

/** A create through the API: the values are checked against the contact property definitions first. */
export async function createContact(deps: Deps, properties: Record<string, string | null>, source: PropertySource = 'API', associations?: CreateAssociations): Promise<Contact> {
  return deps.db.transaction(async (tx) => {
    const at = atNow(deps);
    const contact = await createContactIn(tx, at, await checkPropertyValues(tx, 'contacts', properties), source);
    if (!associations?.length) return contact;
    await associateOnCreate(tx, at, 'contacts', contact.id, associations);
    return (await contacts.getContact(tx, contact.id)) ?? contact;
  });
}

/**
 * Creates a contact; every property set is written to its history from `source`. `emailChecked`:
 * the caller has just looked the email up in this transaction and found no contact.
 */
export async function createContactIn(
  tx: Tx,
  at: At,
  properties: Record<string, string | null>,
  source: PropertySource = 'API',
  o: { emailChecked?: boolean } = {},
): Promise<Contact> {
  const now = at.now;
  const email = properties.email?.trim();
  if (email && !o.emailChecked) {
    const existing = await contacts.getContactByEmail(tx, email);
    if (existing) throw duplicateContactError(existing.id);
  }
  try {
    const contact = await contacts.insertContact(tx, properties, now, source);
    await recordEvent(tx, at, contact.id, 'CONTACT_CREATED');
    await fireListTriggers(tx, at, contact.id, null, contactPropertiesOf(contact));
    // A company link writes the contact's associatedcompanyid: then it is read again.
    const linked =
      ASSOCIATED_COMPANY_ID in properties
        ? (await applyAssociatedCompanyId(tx, at, contact.id, properties[ASSOCIATED_COMPANY_ID]), true)
        : await autoAssociateContact(tx, at, contact, { isNew: true });
    return linked ? ((await contacts.getContact(tx, contact.id)) ?? contact) : contact;
  } catch (err) {
    // A concurrent create of the same email lost the race on the unique index.
    if (isUniqueViolation(err) && email) {
      throw errors.contactExists({ existingId: null, email });
    }
    throw err;
  }
}

export async function requireContact(deps: Deps, id: number, opts: contacts.ArchivedOpt = {}): Promise<Contact> {
  const contact = await contacts.getContact(deps.db.kysely, id, opts);
  if (!contact) throw errors.contactNotFound({ id });
  return contact;
}

/** An update through the API: the values are checked against the contact property definitions first. */
export async function updateContact(deps: Deps, id: number, patch: Record<string, string | null>, source: PropertySource = 'API'): Promise<Contact> {
  return deps.db.transaction(async (tx) => {
    const contact = await contacts.getContact(tx, id);
    if (!contact) throw errors.contactNotFound({ id });
    return updateContactIn(tx, atNow(deps), contact, await checkPropertyValues(tx, 'contacts', patch), source);
  });
}

/** Applies a patch inside the caller's transaction: duplicate-email check, history, PROPERTY_CHANGED events, list triggers. */
export async function updateContactIn(tx: Tx, at: At, contact: Contact, patch: Record<string, string | null>, source: PropertySource = 'API'): Promise<Contact> {
  const email = patch.email?.trim();
  if (email && email.toLowerCase() !== contact.email?.toLowerCase()) {
    const other = await contacts.getContactByEmail(tx, email);
    if (other) throw duplicateContactError(other.id);
  }
  const updated = await contacts.updateContactProperties(tx, contact, patch, at.now, source);
  const changed = Object.keys(patch).filter((k) => (contact.properties[k] ?? null) !== (updated.properties[k] ?? null));
  for (const property of changed) {
    const value = updated.properties[property] ?? null;
    await recordEvent(tx, at, contact.id, 'PROPERTY_CHANGED', { property, value, previous: contact.properties[property] ?? null }, { hs_name: property, hs_value: value });
  }
  if (changed.length) await fireListTriggers(tx, at, contact.id, contactPropertiesOf(contact), contactPropertiesOf(updated));
  if (source === ASSOCIATIONS_SOURCE) return updated;
  // The company links follow what the client wrote: associatedcompanyid, or a new email domain.
  if (ASSOCIATED_COMPANY_ID in patch) await applyAssociatedCompanyId(tx, at, contact.id, patch[ASSOCIATED_COMPANY_ID]);
  else if (changed.includes('email')) await autoAssociateContact(tx, at, updated);
  else return updated;
  return (await contacts.getContact(tx, contact.id)) ?? updated;
}

/** Archiving a contact ends its enrollment (CONTACT_DELETED), as HubSpot does. */
export async function archiveContact(deps: Deps, id: number): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const at = atNow(deps);
    if (!(await contacts.archiveContact(tx, id, at.now))) throw errors.contactNotFound({ id });
    await endRunningEnrollments(tx, { contactId: id }, 'CONTACT_DELETED', at);
  });
}

/**
 * Merges `mergedId` into `primaryId` and returns the primary. The primary's values win; the
 * merged contact's values fill only properties the primary lacks (history source MERGE). The
 * merged contact is archived, which releases its email, so a primary without one takes it.
 *
 * Enrollments (our choice, keep it simple): the primary's enrollment, if any, is untouched; the
 * merged contact's running enrollment always ends with CONTACT_DELETED, as archiving it would.
 * It is not moved to the primary: its toEmail and thread belong to the merged record, and when
 * the primary has one running, one-at-a-time forbids a second anyway.
 */
export async function mergeContacts(deps: Deps, primaryId: number, mergedId: number): Promise<Contact> {
  if (primaryId === mergedId) {
    throw errors.selfMerge();
  }
  return deps.db.transaction(async (tx) => {
    const at = atNow(deps);
    const primary = await contacts.getContact(tx, primaryId);
    if (!primary) throw errors.contactNotFound({ id: primaryId, field: 'primaryObjectId' });
    const merged = await contacts.getContact(tx, mergedId);
    if (!merged) throw errors.contactNotFound({ id: mergedId, field: 'objectIdToMerge' });
    await contacts.archiveContact(tx, mergedId, at.now);
    await endRunningEnrollments(tx, { contactId: mergedId }, 'CONTACT_DELETED', at);
    const empty = (v: string | null | undefined) => v === null || v === undefined || v === '';
    const fill = Object.fromEntries(Object.entries(merged.properties).filter(([k, v]) => !empty(v) && empty(primary.properties[k])));
    // associatedcompanyid follows the links moved below, not the merged contact's copy of it.
    delete fill[ASSOCIATED_COMPANY_ID];
    const result = Object.keys(fill).length ? await updateContactIn(tx, at, primary, fill, 'MERGE') : primary;
    // The merged contact's companies follow it to the primary, which keeps its own primary company.
    await moveCompanyLinks(tx, at, mergedId, primaryId);
    await recordEvent(tx, at, primaryId, 'CONTACTS_MERGED', { mergedContactId: mergedId });
    return (await contacts.getContact(tx, primaryId)) ?? result;
  });
}

/**
 * GDPR delete: ends running enrollments (CONTACT_DELETED), then empties the contact (properties,
 * email), deletes its property history and strips personal data from its events, which stay.
 * Archived contacts can be purged too. Afterwards every read of it is a 404, archived or not.
 */
export async function purgeContact(deps: Deps, ref: { id: number } | { email: string }): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const at = atNow(deps);
    const contact =
      'email' in ref
        ? ((await contacts.getContactByEmail(tx, ref.email)) ?? (await contacts.getContactByEmail(tx, ref.email, { archived: true })))
        : await contacts.getContact(tx, ref.id, { includeArchived: true });
    if (!contact) throw errors.contactNotFound({ id: 'email' in ref ? ref.email : ref.id, field: 'objectId' });
    await endRunningEnrollments(tx, { contactId: contact.id }, 'CONTACT_DELETED', at);
    await contacts.purgeContact(tx, contact.id, at.now);
    await recordEvent(tx, at, contact.id, 'CONTACT_GDPR_DELETED');
  });
}

export type ItemOutcome<R> = { ok: true; value: R } | { ok: false; error: SeqflowError };

/**
 * Runs a batch item by item, EACH IN ITS OWN TRANSACTION (our choice): a failing input (a
 * duplicate email, an unknown id) rolls back only itself, the others commit, and the caller
 * answers 207 listing the failures, as HubSpot's batch endpoints do. Only SeqflowErrors are
 * per-item outcomes; anything else is a server fault and aborts the rest of the batch.
 */
export async function eachInOwnTransaction<T, R>(deps: Deps, items: T[], fn: (tx: Tx, at: At, item: T) => Promise<R>): Promise<ItemOutcome<R>[]> {
  const out: ItemOutcome<R>[] = [];
  for (const item of items) {
    try {
      out.push({ ok: true, value: await deps.db.transaction((tx) => fn(tx, atNow(deps), item)) });
    } catch (err) {
      if (!(err instanceof SeqflowError)) throw err;
      out.push({ ok: false, error: err });
    }
  }
  return out;
}

/** Properties as filters see them, including the ones Seqflow maintains (src/domain/properties.ts). */
export const contactPropertiesOf = contactProperties;

/** A contact's timeline, oldest first (a 404 for an unknown contact). */
export async function contactTimeline(deps: Deps, id: number): Promise<ContactEvent[]> {
  await requireContact(deps, id);
  return listEvents(deps.db.kysely, id);
}

/** Adds an address or a whole domain to the blocklist: no sequence emails it again. */
export const blockRecipient = (deps: Deps, kind: 'address' | 'domain', value: string): Promise<void> => contacts.addBlocked(deps.db.kysely, kind, value, deps.clock.now());
