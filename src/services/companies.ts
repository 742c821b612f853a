import type { Company } from '../domain/glossary.js';
import { domainKey } from '../domain/companies.js';
import { MAX_ID } from '../schemas/common.js';
import * as companies from '../store/companies.js';
import type { Tx } from '../store/database.js';
import type { BatchResult } from './contact-batch.js';
import { eachInOwnTransaction } from './contacts.js';
import { searchRecords, type ContactSearch } from './contact-search.js';
import type { Deps } from './deps.js';
import { errors } from './errors.js';
import type { At } from './events.js';
import { autoAssociateDomain, companySettings, setAutoAssociate, syncAssociatedCompanyId } from './company-links.js';
import { atNow } from './unenroll-contact.js';
import { associateOnCreate, type CreateAssociations } from './associations.js';
import { checkPropertyValues, comparisonTypes } from './properties.js';

/**
 * Companies v3 (issue #13): HubSpot's companies object over the same rules as contacts (batch
 * inputs each in their own transaction, the filter evaluator for search). `domain` is not unique,
 * as in HubSpot's API; a new company's domain picks up the contacts of that domain that have no
 * company yet (when auto-association is on).
 */

/** Properties Seqflow maintains on a company; clients read but never write them. */
export const COMPANY_READ_ONLY = ['createdate', 'hs_lastmodifieddate', 'hs_object_id'];

/** Properties as filters and reads see them, including the ones Seqflow maintains. */
export const companyPropertiesOf = (c: Company): Record<string, string | null> => ({
  ...c.properties,
  createdate: new Date(c.createdAt).toISOString(),
  hs_lastmodifieddate: new Date(c.updatedAt).toISOString(),
  hs_object_id: String(c.id),
});

/** An id string as a company id, or null when it cannot name one. */
export const asCompanyId = (raw: string): number | null => (/^\d+$/.test(raw) && Number(raw) <= MAX_ID ? Number(raw) : null);

export async function createCompanyIn(tx: Tx, at: At, properties: Record<string, string | null>, associations?: CreateAssociations, field?: string): Promise<Company> {
  const company = await companies.insertCompany(tx, await checkPropertyValues(tx, 'companies', properties, field), at.now);
  await autoAssociateDomain(tx, at, company.id, domainKey(company.properties.domain));
  await associateOnCreate(tx, at, 'companies', company.id, associations);
  return company;
}

export async function updateCompanyIn(tx: Tx, at: At, company: Company, patch: Record<string, string | null>, field?: string): Promise<Company> {
  const updated = await companies.updateCompanyProperties(tx, company, await checkPropertyValues(tx, 'companies', patch, field), at.now);
  const domain = domainKey(updated.properties.domain);
  if (domain !== domainKey(company.properties.domain)) await autoAssociateDomain(tx, at, company.id, domain);
  return updated;
}

async function archiveIn(tx: Tx, at: At, id: number): Promise<boolean> {
  const contactIds = await companies.archiveCompany(tx, id, at.now);
  if (contactIds === null) return false;
  // Its contacts lose it as primary company: associatedcompanyid follows.
  for (const contactId of contactIds) await syncAssociatedCompanyId(tx, at, contactId);
  return true;
}

export const createCompany = (deps: Deps, properties: Record<string, string | null>, associations?: CreateAssociations): Promise<Company> =>
  deps.db.transaction((tx) => createCompanyIn(tx, atNow(deps), properties, associations));

export async function requireCompany(deps: Deps, id: number, opts: { archived?: boolean } = {}): Promise<Company> {
  const company = await companies.getCompany(deps.db.kysely, id, opts);
  if (!company) throw errors.companyNotFound({ id });
  return company;
}

export const updateCompany = (deps: Deps, id: number, patch: Record<string, string | null>): Promise<Company> =>
  deps.db.transaction(async (tx) => {
    const company = await companies.getCompany(tx, id);
    if (!company) throw errors.companyNotFound({ id });
    return updateCompanyIn(tx, atNow(deps), company, patch);
  });

export const archiveCompany = (deps: Deps, id: number): Promise<void> =>
  deps.db.transaction(async (tx) => {
    if (!(await archiveIn(tx, atNow(deps), id))) throw errors.companyNotFound({ id });
  });

export const listCompaniesPage = (deps: Deps, opts: { after: number; limit: number; archived?: boolean }): Promise<Company[]> => companies.listCompanies(deps.db.kysely, opts);

const split = <R>(outcomes: Awaited<ReturnType<typeof eachInOwnTransaction<unknown, R>>>, idsOf: (i: number) => string[]): BatchResult<R> => ({
  results: outcomes.flatMap((o) => (o.ok ? [o.value] : [])),
  failures: outcomes.flatMap((o, i) => (o.ok ? [] : [{ error: o.error, ids: idsOf(i) }])),
});

export async function batchCreateCompanies(deps: Deps, inputs: { properties: Record<string, string | null>; associations?: CreateAssociations }[]): Promise<BatchResult<Company>> {
  const outcomes = await eachInOwnTransaction(deps, inputs, (tx, at, input) => createCompanyIn(tx, at, input.properties, input.associations, 'properties'));
  return split(outcomes, () => []);
}

/** The companies the ids name (each once) and the ids that name none. */
export async function batchReadCompanies(deps: Deps, ids: string[], archived?: boolean): Promise<{ companies: Company[]; missing: string[] }> {
  const unique = [...new Set(ids)];
  const found = await companies.getCompanies(deps.db.kysely, unique.map(asCompanyId).filter((n): n is number => n !== null), { archived });
  const have = new Set(found.map((c) => String(c.id)));
  return { companies: found, missing: unique.filter((i) => !have.has(String(asCompanyId(i) ?? ''))) };
}

export async function batchUpdateCompanies(deps: Deps, inputs: { id: string; properties: Record<string, string | null> }[]): Promise<BatchResult<Company>> {
  const outcomes = await eachInOwnTransaction(deps, inputs, async (tx, at, input) => {
    const id = asCompanyId(input.id);
    const company = id === null ? null : await companies.getCompany(tx, id);
    if (!company) throw errors.companiesNotUpdated();
    return updateCompanyIn(tx, at, company, input.properties, 'properties');
  });
  return split(outcomes, (i) => [inputs[i].id]);
}

/** Archives each company; ids that name nothing (or an archived company) are skipped, as HubSpot does. */
export async function batchArchiveCompanies(deps: Deps, ids: string[]): Promise<void> {
  await eachInOwnTransaction(deps, ids, async (tx, at, raw) => {
    const id = asCompanyId(raw);
    if (id !== null) await archiveIn(tx, at, id);
  });
}

/**
 * Company search: every live company read in id-ordered batches and run through the same
 * evaluator as contact search. Companies are few next to contacts (thousands, not millions).
 */
export async function searchCompanies(deps: Deps, s: ContactSearch): Promise<{ total: number; page: Company[]; nextAfter: string | null }> {
  const all: Company[] = [];
  for (let after = 0; ; ) {
    const batch = await companies.listCompanies(deps.db.kysely, { after, limit: 2000 });
    if (batch.length === 0) break;
    all.push(...batch);
    after = batch[batch.length - 1].id;
  }
  return searchRecords(all, companyPropertiesOf, s, await comparisonTypes(deps.db.kysely, 'companies'));
}

export const readCompanySettings = (deps: Deps): Promise<{ autoAssociate: boolean }> => companySettings(deps.db.kysely);

/** Turning auto-association on does not sweep existing contacts: they join on their next create or email change. */
export const writeCompanySettings = (deps: Deps, s: { autoAssociate: boolean }): Promise<{ autoAssociate: boolean }> =>
  deps.db.transaction(async (tx) => {
    await setAutoAssociate(tx, s.autoAssociate);
    return companySettings(tx);
  });
