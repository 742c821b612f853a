import type { Selectable } from 'kysely';
import type { Company } from '../domain/glossary.js';
import { domainKey } from '../domain/companies.js';
import type { Db } from './database.js';
import type { CompaniesTable } from './schema.js';
import { fromJson, toJson } from './json.js';
import { prepared } from './prepared.js';

const toCompany = (r: Selectable<CompaniesTable>): Company => ({
  id: r.id,
  properties: fromJson<Record<string, string | null>>(r.properties, {}),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  archivedAt: r.archived_at === null ? null : Number(r.archived_at),
});

const live = (archived: boolean | undefined) => (archived ? ('is not' as const) : ('is' as const));

export async function insertCompany(db: Db, properties: Record<string, string | null>, now: number): Promise<Company> {
  const row = await db
    .insertInto('companies')
    .values({ domain_key: domainKey(properties.domain), properties: toJson(properties), created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCompany(row);
}

export async function getCompany(db: Db, id: number, opts: { archived?: boolean } = {}): Promise<Company | null> {
  const r = await db.selectFrom('companies').selectAll().where('id', '=', id).where('archived_at', live(opts.archived), null).executeTakeFirst();
  return r ? toCompany(r) : null;
}

export async function getCompanies(db: Db, ids: number[], opts: { archived?: boolean } = {}): Promise<Company[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('companies').selectAll().where('id', 'in', ids).where('archived_at', live(opts.archived), null).orderBy('id').execute();
  return rows.map(toCompany);
}

/** Live companies in id order after a cursor. */
export async function listCompanies(db: Db, opts: { after: number; limit: number; archived?: boolean }): Promise<Company[]> {
  const rows = await db.selectFrom('companies').selectAll().where('archived_at', live(opts.archived), null).where('id', '>', opts.after).orderBy('id').limit(opts.limit).execute();
  return rows.map(toCompany);
}

/** The oldest live company with this domain: the one auto-association picks. */
/** The oldest live company of each domain key (the one auto-association and imports match). */
export async function firstCompaniesWithDomains(db: Db, domains: string[]): Promise<Map<string, Company>> {
  const out = new Map<string, Company>();
  for (let i = 0; i < domains.length; i += 500) {
    const rows = await db.selectFrom('companies').selectAll().where('domain_key', 'in', domains.slice(i, i + 500)).where('archived_at', 'is', null).orderBy('id').execute();
    for (const r of rows) if (r.domain_key && !out.has(r.domain_key)) out.set(r.domain_key, toCompany(r));
  }
  return out;
}

const companyWithDomain = prepared((db, a: { domain: string }) =>
  db.selectFrom('companies').selectAll().where('domain_key', '=', a.domain).where('archived_at', 'is', null).orderBy('id').limit(1),
);

export async function firstCompanyWithDomain(db: Db, domain: string): Promise<Company | null> {
  const r = (await companyWithDomain(db, { domain })).rows[0];
  return r ? toCompany(r) : null;
}

export async function updateCompanyProperties(db: Db, company: Company, patch: Record<string, string | null>, now: number): Promise<Company> {
  const properties = { ...company.properties, ...patch };
  const row = await db
    .updateTable('companies')
    .set({ properties: toJson(properties), domain_key: domainKey(properties.domain), updated_at: now })
    .where('id', '=', company.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCompany(row);
}

/** Archives the company and drops its associations (the contacts' primary with them); the contact ids it had. */
export async function archiveCompany(db: Db, id: number, now: number): Promise<number[] | null> {
  const r = await db.updateTable('companies').set({ archived_at: now, updated_at: now }).where('id', '=', id).where('archived_at', 'is', null).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return null;
  const rows = await db.deleteFrom('contact_companies').where('company_id', '=', id).returning('contact_id').execute();
  return rows.map((x) => x.contact_id);
}

// ---- contact ↔ company ------------------------------------------------------------------------

export interface ContactCompanyLink {
  contactId: number;
  companyId: number;
  primary: boolean;
}

const toLink = (r: { contact_id: number; company_id: number; is_primary: number }): ContactCompanyLink => ({
  contactId: r.contact_id,
  companyId: r.company_id,
  primary: Number(r.is_primary) === 1,
});

/** Links of these contacts to live companies, in company id order. */
export async function companyLinksOfContacts(db: Db, contactIds: number[]): Promise<ContactCompanyLink[]> {
  if (!contactIds.length) return [];
  const rows = await db
    .selectFrom('contact_companies')
    .innerJoin('companies', 'companies.id', 'contact_companies.company_id')
    .select(['contact_companies.contact_id', 'contact_companies.company_id', 'contact_companies.is_primary'])
    .where('contact_companies.contact_id', 'in', contactIds)
    .where('companies.archived_at', 'is', null)
    .orderBy('contact_companies.company_id')
    .execute();
  return rows.map(toLink);
}

/** Links of these companies to live contacts, in contact id order. */
export async function contactLinksOfCompanies(db: Db, companyIds: number[]): Promise<ContactCompanyLink[]> {
  if (!companyIds.length) return [];
  const rows = await db
    .selectFrom('contact_companies')
    .innerJoin('contacts', 'contacts.id', 'contact_companies.contact_id')
    .select(['contact_companies.contact_id', 'contact_companies.company_id', 'contact_companies.is_primary'])
    .where('contact_companies.company_id', 'in', companyIds)
    .where('contacts.archived_at', 'is', null)
    .orderBy('contact_companies.contact_id')
    .execute();
  return rows.map(toLink);
}

export async function getLink(db: Db, contactId: number, companyId: number): Promise<ContactCompanyLink | null> {
  const r = await db.selectFrom('contact_companies').selectAll().where('contact_id', '=', contactId).where('company_id', '=', companyId).executeTakeFirst();
  return r ? toLink(r) : null;
}

/** Adds the pair if absent; `primary` moves the contact's primary here (the old primary stays, unlabeled). */
export async function linkContactCompany(db: Db, contactId: number, companyId: number, primary: boolean, now: number): Promise<void> {
  if (primary) await db.updateTable('contact_companies').set({ is_primary: 0 }).where('contact_id', '=', contactId).where('company_id', '!=', companyId).execute();
  await db
    .insertInto('contact_companies')
    .values({ contact_id: contactId, company_id: companyId, is_primary: primary ? 1 : 0, created_at: now })
    .onConflict((oc) => oc.columns(['contact_id', 'company_id']).doUpdateSet(primary ? { is_primary: 1 } : {}))
    .execute();
}

/** Removes only the primary label: the pair stays associated, unlabeled. */
export async function clearPrimary(db: Db, contactId: number, companyId: number): Promise<void> {
  await db.updateTable('contact_companies').set({ is_primary: 0 }).where('contact_id', '=', contactId).where('company_id', '=', companyId).execute();
}

export async function unlinkContactCompany(db: Db, contactId: number, companyId: number): Promise<boolean> {
  const r = await db.deleteFrom('contact_companies').where('contact_id', '=', contactId).where('company_id', '=', companyId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Live contacts without any company whose email is at this domain (auto-association of a new company's domain). */
export async function unassociatedContactIdsAtDomain(db: Db, domain: string, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('contacts')
    .select('id')
    .where('email_key', 'like', `%@${domain.replace(/[%_\\]/g, '')}`)
    .where('archived_at', 'is', null)
    .where('id', 'not in', (eb) => eb.selectFrom('contact_companies').select('contact_id'))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
