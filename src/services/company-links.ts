import type { Company, Contact } from '../domain/glossary.js';
import { FREE_MAIL, companyDomainOfEmail } from '../domain/companies.js';
import * as companies from '../store/companies.js';
import { getContact } from '../store/contacts.js';
import type { Tx } from '../store/database.js';
import { getSetting, putSetting } from '../store/tokens.js';
import { updateContactIn } from './contacts.js';
import { errors, fieldError } from './errors.js';
import type { At } from './events.js';

/**
 * The contact ↔ company link and what follows from it: `associatedcompanyid` mirrors the primary
 * company (written through the contact's history like any property, so list triggers see it), and
 * auto-association by email domain (our account setting, on by default as in HubSpot).
 */

/** Property that mirrors a contact's primary company, as HubSpot names it. */
export const ASSOCIATED_COMPANY_ID = 'associatedcompanyid';
/** History source of `associatedcompanyid` when Seqflow writes it from the links. */
export const ASSOCIATIONS_SOURCE = 'ASSOCIATIONS';
const AUTO_ASSOCIATE_KEY = 'companies.auto_associate';
/** How many existing contacts a new company's domain picks up at once (the rest on their next update). */
const DOMAIN_SWEEP_LIMIT = 5000;

export const autoAssociateEnabled = async (tx: Tx): Promise<boolean> => (await getSetting(tx, AUTO_ASSOCIATE_KEY)) !== 'off';
export const setAutoAssociate = (tx: Tx, on: boolean): Promise<void> => putSetting(tx, AUTO_ASSOCIATE_KEY, on ? 'on' : 'off');

/** Rewrites `associatedcompanyid` from the links (the primary company's id, or cleared). */
export async function syncAssociatedCompanyId(tx: Tx, at: At, contactId: number): Promise<void> {
  const contact = await getContact(tx, contactId);
  if (!contact) return;
  const primary = (await companies.companyLinksOfContacts(tx, [contactId])).find((l) => l.primary);
  const want = primary ? String(primary.companyId) : null;
  if ((contact.properties[ASSOCIATED_COMPANY_ID] ?? null) !== want) await updateContactIn(tx, at, contact, { [ASSOCIATED_COMPANY_ID]: want }, ASSOCIATIONS_SOURCE);
}

/**
 * Associates a contact and a company. `primary` makes it the contact's primary company; without
 * it, a contact with no primary yet gets this one as primary (HubSpot does so for the first).
 */
export async function associateContactCompany(tx: Tx, at: At, contactId: number, companyId: number, primary: boolean): Promise<void> {
  const links = await companies.companyLinksOfContacts(tx, [contactId]);
  const makePrimary = primary || !links.some((l) => l.primary && l.companyId !== companyId);
  await companies.linkContactCompany(tx, contactId, companyId, makePrimary, at.now);
  await syncAssociatedCompanyId(tx, at, contactId);
}

/** Removes the association (or only its primary label); the contact's `associatedcompanyid` follows. */
export async function dissociateContactCompany(tx: Tx, at: At, contactId: number, companyId: number, onlyPrimary = false): Promise<void> {
  if (onlyPrimary) await companies.clearPrimary(tx, contactId, companyId);
  else await companies.unlinkContactCompany(tx, contactId, companyId);
  await syncAssociatedCompanyId(tx, at, contactId);
}

/** A contact with no company gets the oldest company of its (non-free-mail) email domain, when the setting is on. */
export async function autoAssociateContact(tx: Tx, at: At, contact: Contact, o: { isNew?: boolean } = {}): Promise<boolean> {
  const domain = companyDomainOfEmail(contact.email);
  if (!domain || !(await autoAssociateEnabled(tx))) return false;
  // A contact created in this transaction has no company yet.
  if (!o.isNew && (await companies.companyLinksOfContacts(tx, [contact.id])).length) return false;
  const company = await companies.firstCompanyWithDomain(tx, domain);
  if (!company) return false;
  await associateContactCompany(tx, at, contact.id, company.id, true);
  return true;
}

/**
 * Many new contacts at once (an import's batch): each joins the company of its email domain, as a
 * single create does, with the setting read once and each domain looked up once per batch.
 */
export async function autoAssociateNewContacts(tx: Tx, at: At, made: Contact[]): Promise<void> {
  if (!made.length || !(await autoAssociateEnabled(tx))) return;
  const companyOf = new Map<string, Company | null>();
  for (const contact of made) {
    const domain = companyDomainOfEmail(contact.email);
    if (!domain) continue;
    if (!companyOf.has(domain)) companyOf.set(domain, await companies.firstCompanyWithDomain(tx, domain));
    const company = companyOf.get(domain);
    if (company) await associateContactCompany(tx, at, contact.id, company.id, true);
  }
}

/** A new (or re-domained) company picks up the contacts of its domain that have no company yet. */
export async function autoAssociateDomain(tx: Tx, at: At, companyId: number, domain: string | null): Promise<void> {
  if (!domain || FREE_MAIL.has(domain) || !(await autoAssociateEnabled(tx))) return;
  for (const contactId of await companies.unassociatedContactIdsAtDomain(tx, domain, DOMAIN_SWEEP_LIMIT)) {
    await associateContactCompany(tx, at, contactId, companyId, true);
  }
}

/**
 * A client that writes `associatedcompanyid` (as HubSpot allows) moves the primary company there;
 * an empty value removes the primary label. An id naming no company is a 400 naming the property.
 */
export async function applyAssociatedCompanyId(tx: Tx, at: At, contactId: number, value: string | null, field = ASSOCIATED_COMPANY_ID): Promise<void> {
  const raw = value?.trim() ?? '';
  if (raw === '') {
    const primary = (await companies.companyLinksOfContacts(tx, [contactId])).find((l) => l.primary);
    if (primary) await companies.clearPrimary(tx, contactId, primary.companyId);
    await syncAssociatedCompanyId(tx, at, contactId);
    return;
  }
  const id = /^\d{1,10}$/.test(raw) ? Number(raw) : null;
  if (id === null) throw fieldError(field, `${ASSOCIATED_COMPANY_ID} must be a company id.`);
  if (!(await companies.getCompany(tx, id))) throw errors.companyNotFound({ id: raw, field });
  await associateContactCompany(tx, at, contactId, id, true);
}

/** The account's company settings (auto-association on or off). */
export const companySettings = async (tx: Tx): Promise<{ autoAssociate: boolean }> => ({ autoAssociate: await autoAssociateEnabled(tx) });

/** A merge: the merged contact's companies join the primary's (the first becomes primary only if it has none). */
export async function moveCompanyLinks(tx: Tx, at: At, fromContactId: number, toContactId: number): Promise<void> {
  for (const link of await companies.companyLinksOfContacts(tx, [fromContactId])) await associateContactCompany(tx, at, toContactId, link.companyId, false);
}
