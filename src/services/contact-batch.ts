import type { Contact } from '../domain/glossary.js';
import { MAX_ID } from '../schemas/common.js';
import * as contacts from '../store/contacts.js';
import type { Tx } from '../store/database.js';
import { checkPropertyValues } from './properties.js';
import { contactPropertiesOf, createContactIn, duplicateContactError, eachInOwnTransaction, purgeContact, updateContactIn, type ItemOutcome } from './contacts.js';
import type { Deps } from './deps.js';
import { associateOnCreate, type CreateAssociations } from './associations.js';
import { errors, isError, type SeqflowError } from './errors.js';
import { upsertContactByEmail } from './forms.js';
import { endRunningEnrollments } from './unenroll-contact.js';

/**
 * Contacts v3 reads and batch writes (hubspot-api.md §3.3). Every batch write runs each input in
 * its own transaction (eachInOwnTransaction): a failing input does not roll back the others; the
 * failures come back with the ids they concern, for the 207 HubSpot answers.
 */

/** HubSpot's limit on inputs of a batch read that asks for property histories. */
export const BATCH_HISTORY_LIMIT = 50;

/** How a request names a contact: by id (hs_object_id, the default) or by email. */
export type IdProperty = 'hs_object_id' | 'email';

/** An id string as a contact id, or null when it cannot name one. */
export const asContactId = (raw: string): number | null => (/^\d+$/.test(raw) && Number(raw) <= MAX_ID ? Number(raw) : null);

/** A failed batch input: the error and the ids (or emails) it concerns. */
export interface BatchFailure {
  error: SeqflowError;
  ids: string[];
}

export interface BatchResult<R> {
  results: R[];
  failures: BatchFailure[];
}

const split = <R>(outcomes: ItemOutcome<R>[], idsOf: (i: number, error: SeqflowError) => string[]): BatchResult<R> => ({
  results: outcomes.flatMap((o) => (o.ok ? [o.value] : [])),
  failures: outcomes.flatMap((o, i) => (o.ok ? [] : [{ error: o.error, ids: idsOf(i, o.error) }])),
});

/** Finds a contact by id or, by email, case-insensitively; `archived` reads only archived ones. */
async function lookup(tx: Tx, raw: string, by: IdProperty | undefined, archived?: boolean): Promise<Contact | null> {
  if (by === 'email') return contacts.getContactByEmail(tx, raw, { archived });
  const id = asContactId(raw);
  return id === null ? null : contacts.getContact(tx, id, { archived });
}

/** The contact with this email (`idProperty=email`), case-insensitively; a 404 when none. */
export async function requireContactByEmail(deps: Deps, email: string, opts: contacts.ArchivedOpt = {}): Promise<Contact> {
  const contact = await contacts.getContactByEmail(deps.db.kysely, email, opts);
  if (!contact) throw errors.contactNotFound({ id: email });
  return contact;
}

/** A page of live (or, with `archived`, archived) contacts in id order after a cursor. */
export const listContactsPage = (deps: Deps, opts: { after: number; limit: number } & contacts.ArchivedOpt): Promise<Contact[]> =>
  contacts.listContacts(deps.db.kysely, opts);

export interface HistoryEntry {
  value: string;
  timestamp: number;
  sourceType: string;
}

/**
 * propertiesWithHistory for each contact, newest first. The properties Seqflow maintains have no
 * history rows; they show their one value, set when the contact was created or last modified.
 */
export async function propertyHistories(deps: Deps, list: Contact[], props: string[] | undefined): Promise<Map<number, Record<string, HistoryEntry[]>> | undefined> {
  if (!props?.length) return undefined;
  const rows = await contacts.getPropertyHistory(deps.db.kysely, list.map((c) => c.id), props);
  const out = new Map<number, Record<string, HistoryEntry[]>>();
  for (const c of list) {
    const byProp = rows.get(c.id) ?? {};
    const view: Record<string, HistoryEntry[]> = {};
    for (const p of props) {
      const synthetic: Record<string, number> = { createdate: c.createdAt, hs_object_id: c.createdAt, lastmodifieddate: c.updatedAt };
      view[p] = byProp[p] ?? (p in synthetic ? [{ value: contactPropertiesOf(c)[p] ?? '', timestamp: synthetic[p], sourceType: 'API' }] : []);
    }
    out.set(c.id, view);
  }
  return out;
}

/** Creates each contact; an email that exists already fails that input with the existing contact's id. */
export async function batchCreateContacts(deps: Deps, inputs: { properties: Record<string, string | null>; associations?: CreateAssociations }[]): Promise<BatchResult<Contact>> {
  const outcomes = await eachInOwnTransaction(deps, inputs, async (tx, at, input) => {
    const email = input.properties.email?.trim();
    const existing = email ? await contacts.getContactByEmail(tx, email) : null;
    if (existing) throw duplicateContactError(existing.id);
    const created = await createContactIn(tx, at, await checkPropertyValues(tx, 'contacts', input.properties, 'properties'));
    if (!input.associations?.length) return created;
    await associateOnCreate(tx, at, 'contacts', created.id, input.associations);
    return (await contacts.getContact(tx, created.id)) ?? created;
  });
  return split(outcomes, (i, error) => conflictIds(error, inputs[i].properties.email));
}

/** A batch-create conflict names the existing contact's id (when known); other failures name the email tried. */
function conflictIds(err: SeqflowError, emailTried: string | null | undefined): string[] {
  const existingId = isError(err, 'CONTACT_EXISTS') ? err.details.existingId : null;
  return existingId !== null ? [String(existingId)] : emailTried ? [emailTried] : [];
}

export interface BatchRead {
  ids: string[];
  idProperty?: IdProperty;
  archived?: boolean;
  propertiesWithHistory?: string[];
}

/** The contacts the ids name (each once), their histories when asked, and the ids that name none. */
export async function batchReadContacts(deps: Deps, r: BatchRead): Promise<{ contacts: Contact[]; histories?: Map<number, Record<string, HistoryEntry[]>>; missing: string[] }> {
  if (r.propertiesWithHistory?.length && r.ids.length > BATCH_HISTORY_LIMIT) {
    throw errors.batchHistoryLimit({ limit: BATCH_HISTORY_LIMIT });
  }
  const db = deps.db.kysely;
  const ids = [...new Set(r.ids)];
  const found = new Map<string, Contact>();
  if (r.idProperty === 'email') {
    for (const e of ids) {
      const c = await contacts.getContactByEmail(db, e, { archived: r.archived });
      if (c) found.set(e, c);
    }
  } else {
    const numeric = ids.map(asContactId).filter((n): n is number => n !== null);
    for (const c of await contacts.getContacts(db, numeric, { archived: r.archived })) found.set(String(c.id), c);
  }
  const hits = [...new Map([...found.values()].map((c) => [c.id, c])).values()];
  return { contacts: hits, histories: await propertyHistories(deps, hits, r.propertiesWithHistory), missing: ids.filter((i) => !found.has(i)) };
}

/** Updates each contact named by id (or email); one that names nothing fails that input. */
export async function batchUpdateContacts(
  deps: Deps,
  inputs: { id: string; idProperty?: IdProperty; properties: Record<string, string | null> }[],
): Promise<BatchResult<Contact>> {
  const outcomes = await eachInOwnTransaction(deps, inputs, async (tx, at, input) => {
    const contact = await lookup(tx, input.id, input.idProperty);
    if (!contact) throw errors.contactsNotUpdated();
    return updateContactIn(tx, at, contact, await checkPropertyValues(tx, 'contacts', input.properties, 'properties'));
  });
  return split(outcomes, (i) => [inputs[i].id]);
}

/** Creates or updates each contact by email; `created` says which. */
export async function batchUpsertContacts(
  deps: Deps,
  inputs: { id: string; properties: Record<string, string | null> }[],
): Promise<BatchResult<{ contact: Contact; created: boolean }>> {
  const upsert = (input: (typeof inputs)[number]) =>
    eachInOwnTransaction(deps, [input], async (tx, at) =>
      upsertContactByEmail(tx, at, { ...(await checkPropertyValues(tx, 'contacts', input.properties, 'properties')), email: input.id }),
    );
  const outcomes: ItemOutcome<{ contact: Contact; created: boolean }>[] = [];
  for (const input of inputs) {
    let [o] = await upsert(input);
    // A concurrent create of the same address won the unique index: the retry finds and updates it.
    if (!o.ok && isError(o.error, 'CONTACT_EXISTS')) [o] = await upsert(input);
    outcomes.push(o);
  }
  return split(outcomes, (i) => [inputs[i].id]);
}

/** Archives each contact (ending its enrollment); ids that name nothing, or an archived contact, are skipped, as HubSpot does. */
export async function batchArchiveContacts(deps: Deps, ids: string[]): Promise<void> {
  await eachInOwnTransaction(deps, ids, async (tx, at, raw) => {
    const id = asContactId(raw);
    if (id !== null && (await contacts.archiveContact(tx, id, at.now))) await endRunningEnrollments(tx, { contactId: id }, 'CONTACT_DELETED', at);
  });
}

/** GDPR delete of the contact an id (or, by email, an address) names. */
export async function purgeContactBy(deps: Deps, objectId: string, by: IdProperty | undefined): Promise<void> {
  if (by === 'email') return purgeContact(deps, { email: objectId });
  const id = asContactId(objectId);
  if (id === null) throw errors.contactNotFound({ id: objectId, field: 'objectId' });
  return purgeContact(deps, { id });
}
