import type { Selectable } from 'kysely';
import type { Db } from './database.js';
import type { Contact } from '../domain/glossary.js';
import type { ContactsTable } from './schema.js';
import { fromJson, toJson } from './json.js';

const toContact = (r: Selectable<ContactsTable>): Contact => ({
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

export async function insertContact(db: Db, properties: Record<string, string | null>, now: number): Promise<Contact> {
  const email = emailOf(properties);
  const row = await db
    .insertInto('contacts')
    .values({
      email,
      email_key: email?.toLowerCase() ?? null,
      properties: toJson({ ...properties, ...(email && { email }) }),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toContact(row);
}

export async function getContact(db: Db, id: number, opts: { includeArchived?: boolean } = {}): Promise<Contact | null> {
  let q = db.selectFrom('contacts').selectAll().where('id', '=', id);
  if (!opts.includeArchived) q = q.where('archived_at', 'is', null);
  const r = await q.executeTakeFirst();
  return r ? toContact(r) : null;
}

export async function getContactByEmail(db: Db, email: string): Promise<Contact | null> {
  const r = await db
    .selectFrom('contacts')
    .selectAll()
    .where('email_key', '=', email.trim().toLowerCase())
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  return r ? toContact(r) : null;
}

/** Merges properties (null clears one) and keeps the email column in step. */
export async function updateContactProperties(
  db: Db,
  contact: Contact,
  patch: Record<string, string | null>,
  now: number,
): Promise<Contact> {
  const properties = { ...contact.properties, ...patch };
  const email = emailOf(properties);
  const row = await db
    .updateTable('contacts')
    .set({ properties: toJson(properties), email, email_key: email?.toLowerCase() ?? null, updated_at: now })
    .where('id', '=', contact.id)
    .returningAll()
    .executeTakeFirstOrThrow();
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
  return Number(r.numUpdatedRows) > 0;
}

export async function markContact(db: Db, id: number, mark: 'bounced' | 'unsubscribed', now: number): Promise<void> {
  await db
    .updateTable('contacts')
    .set(mark === 'bounced' ? { bounced_at: now, updated_at: now } : { unsubscribed_at: now, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function listContacts(db: Db, opts: { after: number; limit: number }): Promise<Contact[]> {
  const rows = await db
    .selectFrom('contacts')
    .selectAll()
    .where('archived_at', 'is', null)
    .where('id', '>', opts.after)
    .orderBy('id')
    .limit(opts.limit)
    .execute();
  return rows.map(toContact);
}

export async function isBlocked(db: Db, email: string): Promise<'BLOCKED_ADDRESS' | 'BLOCKED_DOMAIN' | null> {
  const address = email.toLowerCase();
  const domain = address.split('@')[1] ?? '';
  const rows = await db
    .selectFrom('blocked_recipients')
    .select(['kind'])
    .where((eb) => eb.or([eb.and([eb('kind', '=', 'address'), eb('value', '=', address)]), eb.and([eb('kind', '=', 'domain'), eb('value', '=', domain)])]))
    .execute();
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
