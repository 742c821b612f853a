import type { Selectable } from 'kysely';
import type { Db } from './database.js';
import type { Contact } from '../domain/glossary.js';
import type { ContactsTable } from './schema.js';
import { fromJson, toJson } from './json.js';
import { indexContacts, reindexContact, unindexContact } from './contact-search-index.js';
import { touchesQueryWords } from '../domain/search-index.js';
import { prepared } from './prepared.js';

export const toContact = (r: Selectable<ContactsTable>): Contact => ({
  id: r.id,
  email: r.email,
  properties: fromJson<Record<string, string | null>>(r.properties, {}),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  archivedAt: r.archived_at,
  bouncedAt: r.bounced_at,
  unsubscribedAt: r.unsubscribed_at,
});

const emailOf = (props: Record<string, string | null>): string | null => {
  const e = props.email?.trim();
  return e ? e : null;
};

/** Where a property value came from (HubSpot's propertiesWithHistory sourceType). */
export type PropertySource = 'API' | 'FORM' | 'WORKFLOW' | 'IMPORT' | 'MERGE' | (string & {});

export interface PropertyHistoryEntry {
  value: string;
  timestamp: number;
  sourceType: string;
}

/** Which contacts a read sees: live ones (the default) or, with HubSpot's `archived=true`, only archived ones. GDPR-purged rows never. */
export interface ArchivedOpt {
  archived?: boolean;
}

const live = (archived: boolean | undefined) => (archived ? ('is not' as const) : ('is' as const));

/** Appends one history row per property set; `null` (a cleared property) is recorded as HubSpot shows it, "". */
export async function appendPropertyHistory(db: Db, contactId: number, values: Record<string, string | null>, now: number, source: PropertySource): Promise<void> {
  const rows = Object.entries(values).map(([property, value]) => ({ contact_id: contactId, property, value: value ?? '', timestamp: now, source_type: source }));
  if (rows.length) await db.insertInto('contact_property_history').values(rows).execute();
}

/** History of the given properties for each contact, newest first. */
export async function getPropertyHistory(db: Db, contactIds: number[], properties: string[]): Promise<Map<number, Record<string, PropertyHistoryEntry[]>>> {
  const out = new Map<number, Record<string, PropertyHistoryEntry[]>>();
  if (!contactIds.length || !properties.length) return out;
  const rows = await db
    .selectFrom('contact_property_history')
    .selectAll()
    .where('contact_id', 'in', contactIds)
    .where('property', 'in', properties)
    .orderBy('timestamp', 'desc')
    .orderBy('id', 'desc')
    .execute();
  for (const r of rows) {
    const byProp = out.get(r.contact_id) ?? {};
    (byProp[r.property] ??= []).push({ value: r.value ?? '', timestamp: r.timestamp, sourceType: r.source_type });
    out.set(r.contact_id, byProp);
  }
  return out;
}

const newContact = prepared((db, a: { email: string | null; emailKey: string | null; properties: string; now: number }) =>
  db.insertInto('contacts').values({ email: a.email, email_key: a.emailKey, properties: a.properties, created_at: a.now, updated_at: a.now }).returningAll(),
);

export async function insertContact(db: Db, properties: Record<string, string | null>, now: number, source: PropertySource = 'API'): Promise<Contact> {
  const email = emailOf(properties);
  const stored = { ...properties, ...(email && { email }) };
  const row = (await newContact(db, { email, emailKey: email?.toLowerCase() ?? null, properties: toJson(stored), now })).rows[0]!;
  await appendPropertyHistory(db, row.id, Object.fromEntries(Object.entries(stored).filter(([, v]) => v !== null)), now, source);
  await indexContacts(db, [{ id: row.id, properties: stored }]);
  if (properties[ADDITIONAL_EMAILS]) await setAdditionalEmails(db, row.id, properties[ADDITIONAL_EMAILS]);
  return toContact(row);
}

const contactById = prepared((db, a: { id: number }) => db.selectFrom('contacts').selectAll().where('id', '=', a.id).where('purged_at', 'is', null));
const liveContactById = prepared((db, a: { id: number }) => db.selectFrom('contacts').selectAll().where('id', '=', a.id).where('purged_at', 'is', null).where('archived_at', 'is', null));
const archivedContactById = prepared((db, a: { id: number }) =>
  db.selectFrom('contacts').selectAll().where('id', '=', a.id).where('purged_at', 'is', null).where('archived_at', 'is not', null),
);

export async function getContact(db: Db, id: number, opts: { includeArchived?: boolean } & ArchivedOpt = {}): Promise<Contact | null> {
  const query = opts.archived ? archivedContactById : opts.includeArchived ? contactById : liveContactById;
  const r = (await query(db, { id })).rows[0];
  return r ? toContact(r) : null;
}

export async function getContacts(db: Db, ids: number[], opts: ArchivedOpt = {}): Promise<Contact[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('contacts').selectAll().where('id', 'in', ids).where('purged_at', 'is', null).where('archived_at', live(opts.archived), null).execute();
  return rows.map(toContact);
}

const liveContactByEmailKey = prepared((db, a: { key: string }) => db.selectFrom('contacts').selectAll().where('email_key', '=', a.key).where('archived_at', 'is', null));

/**
 * By email, case-insensitively. Live contacts hold their email_key; archived ones released it
 * (so the address could be reused) and are found by their email column, newest first.
 */
export async function getContactByEmail(db: Db, email: string, opts: ArchivedOpt = {}): Promise<Contact | null> {
  const key = email.trim().toLowerCase();
  const r = opts.archived
    ? await db
        .selectFrom('contacts')
        .selectAll()
        .where((eb) => eb(eb.fn('lower', ['email']), '=', key))
        .where('archived_at', 'is not', null)
        .where('purged_at', 'is', null)
        .orderBy('id', 'desc')
        .executeTakeFirst()
    : (await liveContactByEmailKey(db, { key })).rows[0];
  return r ? toContact(r) : null;
}

/** Live contacts whose email (case-insensitively) or id is one of those given: the indexed side of search. */
export async function findContactsByEmailOrId(db: Db, emails: string[], ids: number[]): Promise<Contact[]> {
  const keys = [...new Set(emails.map((e) => e.trim().toLowerCase()))];
  if (!keys.length && !ids.length) return [];
  const rows = await db
    .selectFrom('contacts')
    .selectAll()
    .where('archived_at', 'is', null)
    .where((eb) => eb.or([...(keys.length ? [eb('email_key', 'in', keys)] : []), ...(ids.length ? [eb('id', 'in', ids)] : [])]))
    .orderBy('id')
    .execute();
  return rows.map(toContact);
}

/** The property holding a contact's other addresses, as HubSpot names it (";"-separated). */
export const ADDITIONAL_EMAILS = 'hs_additional_emails';

/** Lower-cased addresses of an `hs_additional_emails` value (";"-separated; commas and spaces tolerated). */
export const additionalEmailKeys = (value: string | null | undefined): string[] => [
  ...new Set(
    (value ?? '')
      .split(/[;,\s]+/)
      .map((a) => a.trim().toLowerCase())
      .filter((a) => a.length > 0 && a.length <= 320),
  ),
];

/** Rewrites the indexed copy of a contact's additional addresses (contact_additional_emails). */
async function setAdditionalEmails(db: Db, contactId: number, value: string | null | undefined): Promise<void> {
  await db.deleteFrom('contact_additional_emails').where('contact_id', '=', contactId).execute();
  const keys = additionalEmailKeys(value);
  if (keys.length) await db.insertInto('contact_additional_emails').values(keys.map((email_key) => ({ contact_id: contactId, email_key }))).execute();
}

/** Live contacts that list `address` (case-insensitively) in hs_additional_emails, oldest first: an index lookup. */
export async function findContactsByAdditionalEmail(db: Db, address: string, limit = 20): Promise<Contact[]> {
  const rows = await db
    .selectFrom('contacts')
    .selectAll('contacts')
    .where('contacts.id', 'in', (eb) => eb.selectFrom('contact_additional_emails').select('contact_id').where('email_key', '=', address.trim().toLowerCase()))
    .where('archived_at', 'is', null)
    .where('purged_at', 'is', null)
    .orderBy('contacts.id')
    .limit(limit)
    .execute();
  return rows.map(toContact);
}

/** Ids of archived contacts (GDPR-purged ones included). */
export async function listArchivedContactIds(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('contacts').select('id').where('archived_at', 'is not', null).execute();
  return rows.map((r) => r.id);
}

/** Live contacts created at or after `since`. */
export async function listContactsCreatedSince(db: Db, since: number): Promise<Contact[]> {
  const rows = await db.selectFrom('contacts').selectAll().where('archived_at', 'is', null).where('created_at', '>=', since).execute();
  return rows.map(toContact);
}

export async function countContacts(db: Db): Promise<number> {
  const r = await db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('archived_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}

const setContactProperties = prepared((db, a: { id: number; properties: string; email: string | null; emailKey: string | null; now: number }) =>
  db.updateTable('contacts').set({ properties: a.properties, email: a.email, email_key: a.emailKey, updated_at: a.now }).where('id', '=', a.id).returningAll(),
);

/**
 * Merges properties (null clears one) and keeps the email column in step. Every property whose
 * value changes gets a history row from `source`.
 */
export async function updateContactProperties(
  db: Db,
  contact: Contact,
  patch: Record<string, string | null>,
  now: number,
  source: PropertySource = 'API',
): Promise<Contact> {
  const properties = { ...contact.properties, ...patch };
  const email = emailOf(properties);
  if (email) properties.email = email;
  const row = (await setContactProperties(db, { id: contact.id, properties: toJson(properties), email, emailKey: email?.toLowerCase() ?? null, now })).rows[0]!;
  const changed = Object.fromEntries(Object.keys(patch).filter((k) => (contact.properties[k] ?? null) !== (properties[k] ?? null)).map((k) => [k, properties[k] ?? null]));
  await appendPropertyHistory(db, contact.id, changed, now, source);
  // Every stored value that differs, not only the patch's: the email is trimmed on the way in.
  const differ = [...new Set([...Object.keys(contact.properties), ...Object.keys(properties)])].filter((k) => (contact.properties[k] ?? null) !== (properties[k] ?? null));
  await reindexContact(db, contact.id, properties, differ, touchesQueryWords(differ));
  if (ADDITIONAL_EMAILS in changed) await setAdditionalEmails(db, contact.id, properties[ADDITIONAL_EMAILS]);
  return toContact(row);
}

export async function archiveContact(db: Db, id: number, now: number): Promise<boolean> {
  // The email key is released so the address can be used by a new contact, as HubSpot allows.
  const r = await db
    .updateTable('contacts')
    .set({ archived_at: now, updated_at: now, email_key: null })
    .where('id', '=', id)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  // Search sees live contacts only.
  await unindexContact(db, id);
  return true;
}

/** Event data keys that hold no personal data and stay after a GDPR delete; everything else (values, addresses, text) goes. */
const NON_PERSONAL_EVENT_KEYS = new Set(['enrollmentId', 'sequenceId', 'reason', 'formId', 'workflowId', 'property', 'meetingId', 'sendId', 'stepIndex']);

/**
 * GDPR delete: empties the contact (properties, email), marks it purged and archived, deletes
 * its property history, and strips personal data from its events (the events themselves stay).
 */
export async function purgeContact(db: Db, id: number, now: number): Promise<boolean> {
  const r = await db
    .updateTable('contacts')
    .set({ properties: '{}', email: null, email_key: null, purged_at: now, updated_at: now })
    .set((eb) => ({ archived_at: eb.fn.coalesce('archived_at', eb.val(now)) }))
    .where('id', '=', id)
    .where('purged_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  await db.deleteFrom('contact_property_history').where('contact_id', '=', id).execute();
  await db.deleteFrom('contact_additional_emails').where('contact_id', '=', id).execute();
  await unindexContact(db, id);
  const events = await db.selectFrom('events').select(['id', 'data']).where('contact_id', '=', id).execute();
  for (const e of events) {
    const data = fromJson<Record<string, unknown>>(e.data, {});
    const kept = Object.fromEntries(Object.entries(data).filter(([k, v]) => NON_PERSONAL_EVENT_KEYS.has(k) && (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')));
    const scrubbed = toJson({ ...kept, redacted: true });
    if (scrubbed !== e.data) await db.updateTable('events').set({ data: scrubbed }).where('id', '=', e.id).execute();
  }
  // The address and what was written to it also live in the sequence records; the counts stay.
  const enrollmentIds = db.selectFrom('enrollments').select('id').where('contact_id', '=', id);
  await db.updateTable('sends').set({ to_email: '', subject: '' }).where('enrollment_id', 'in', enrollmentIds).execute();
  await db.updateTable('enrollments').set({ to_email: '', placeholder_values: '{}' }).where('contact_id', '=', id).execute();
  await db.updateTable('meetings').set({ properties: '{}' }).where('contact_id', '=', id).execute();
  await db.updateTable('tasks').set({ subject: 'Deleted contact', notes: '' }).where('contact_id', '=', id).execute();
  return true;
}

export async function markContact(db: Db, id: number, mark: 'bounced' | 'unsubscribed', now: number): Promise<void> {
  await db
    .updateTable('contacts')
    .set(mark === 'bounced' ? { bounced_at: now, updated_at: now } : { unsubscribed_at: now, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function listContacts(db: Db, opts: { after: number; limit: number } & ArchivedOpt): Promise<Contact[]> {
  const rows = await db
    .selectFrom('contacts')
    .selectAll()
    .where('archived_at', live(opts.archived), null)
    .where('purged_at', 'is', null)
    .where('id', '>', opts.after)
    .orderBy('id')
    .limit(opts.limit)
    .execute();
  return rows.map(toContact);
}

/** Live contacts in id order from an offset: search's page when nothing filters or sorts. */
export async function listContactsAt(db: Db, opts: { offset: number; limit: number }): Promise<Contact[]> {
  const rows = await db.selectFrom('contacts').selectAll().where('archived_at', 'is', null).orderBy('id').limit(opts.limit).offset(opts.offset).execute();
  return rows.map(toContact);
}

const blocksOf = prepared((db, a: { address: string; domain: string }) =>
  db
    .selectFrom('blocked_recipients')
    .select(['kind'])
    .where((eb) => eb.or([eb.and([eb('kind', '=', 'address'), eb('value', '=', a.address)]), eb.and([eb('kind', '=', 'domain'), eb('value', '=', a.domain)])])),
);

export async function isBlocked(db: Db, email: string): Promise<'BLOCKED_ADDRESS' | 'BLOCKED_DOMAIN' | null> {
  const address = email.toLowerCase();
  const domain = address.split('@')[1] ?? '';
  const { rows } = await blocksOf(db, { address, domain });
  if (rows.some((r) => r.kind === 'address')) return 'BLOCKED_ADDRESS';
  if (rows.some((r) => r.kind === 'domain')) return 'BLOCKED_DOMAIN';
  return null;
}

export async function addBlocked(db: Db, kind: 'address' | 'domain', value: string, now: number): Promise<void> {
  await db
    .insertInto('blocked_recipients')
    .values({ kind, value: value.toLowerCase(), created_at: now })
    .onConflict((oc) => oc.columns(['kind', 'value']).doNothing())
    .execute();
}

/** Live contacts whose email_key is one of these (lower-cased) keys: a batch's dedupe in one query. */
export async function findContactsByEmailKeys(db: Db, keys: string[]): Promise<Contact[]> {
  const out: Contact[] = [];
  for (let i = 0; i < keys.length; i += 1000) {
    const rows = await db.selectFrom('contacts').selectAll().where('email_key', 'in', keys.slice(i, i + 1000)).where('archived_at', 'is', null).execute();
    out.push(...rows.map(toContact));
  }
  return out;
}

/**
 * Creates many contacts at once (an import's batch): the contacts, their property history and
 * their additional addresses, a few hundred rows per statement. Every input must carry an email
 * no live contact holds; a clash fails the whole statement on the unique email_key.
 */
export async function insertContactsBulk(db: Db, inputs: Record<string, string | null>[], now: number, source: PropertySource): Promise<Contact[]> {
  const created: Contact[] = [];
  for (let i = 0; i < inputs.length; i += 500) {
    const values = inputs.slice(i, i + 500).map((properties) => {
      const email = emailOf(properties);
      return { email, email_key: email?.toLowerCase() ?? null, properties: toJson({ ...properties, ...(email && { email }) }), created_at: now, updated_at: now };
    });
    const rows = await db.insertInto('contacts').values(values).returningAll().execute();
    created.push(...rows.map(toContact));
  }
  const history = created.flatMap((c) =>
    Object.entries(c.properties)
      .filter(([, v]) => v !== null)
      .map(([property, value]) => ({ contact_id: c.id, property, value: value ?? '', timestamp: now, source_type: source })),
  );
  for (let i = 0; i < history.length; i += 2000) await db.insertInto('contact_property_history').values(history.slice(i, i + 2000)).execute();
  await indexContacts(db, created);
  const additional = created.flatMap((c) => additionalEmailKeys(c.properties[ADDITIONAL_EMAILS]).map((email_key) => ({ contact_id: c.id, email_key })));
  for (let i = 0; i < additional.length; i += 2000) await db.insertInto('contact_additional_emails').values(additional.slice(i, i + 2000)).execute();
  return created;
}
