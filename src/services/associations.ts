import { ASSOCIATION_TYPES, OBJECT_TYPES, associationType, associationTypesBetween, objectTypeOf, type AssociationType, type ObjectType } from '../domain/companies.js';
import { MAX_ID } from '../schemas/common.js';
import * as companies from '../store/companies.js';
import { getContact } from '../store/contacts.js';
import type { Tx } from '../store/database.js';
import { getMeeting, listMeetingsOfContacts } from '../store/meetings.js';
import { associateContactCompany, dissociateContactCompany } from './company-links.js';
import { eachInOwnTransaction, type ItemOutcome } from './contacts.js';
import type { Deps } from './deps.js';
import { errors, type SeqflowError } from './errors.js';
import type { At } from './events.js';
import { atNow } from './unenroll-contact.js';

/**
 * Associations v4 (issue #13) over the pairs Seqflow holds: contact ↔ company (unlabeled, and the
 * Primary label that `associatedcompanyid` mirrors) and contact ↔ meeting (a meeting is logged
 * for one contact, so that pair can be read but neither moved nor removed).
 */

export interface AssociationSpec {
  associationCategory: string;
  associationTypeId: number;
}

/** One associated record and every type (label) it is associated with. */
export interface Associated {
  toObjectId: number;
  types: AssociationType[];
}

/** Which path or body field each part of a request came from, for the 400/404 that names it. */
export interface Fields {
  fromType: string;
  fromId: string;
  toType: string;
  toId: string;
  types?: string;
}

const PATH_FIELDS: Fields = { fromType: 'objectType', fromId: 'objectId', toType: 'toObjectType', toId: 'toObjectId', types: 'associationSpec' };

export function requireObjectType(raw: string, field: string): ObjectType {
  const t = objectTypeOf(raw);
  if (!t) throw errors.objectTypeUnknown({ objectType: raw, field });
  return t;
}

/** The two types, checked to form a pair Seqflow holds. */
export function requirePair(fromRaw: string, toRaw: string, f: Pick<Fields, 'fromType' | 'toType'> = PATH_FIELDS): { from: ObjectType; to: ObjectType } {
  const from = requireObjectType(fromRaw, f.fromType);
  const to = requireObjectType(toRaw, f.toType);
  if (associationTypesBetween(from, to).length === 0) throw errors.associationPairUnsupported({ from, to, field: f.toType });
  return { from, to };
}

const asId = (raw: string): number | null => (/^\d+$/.test(raw) && Number(raw) <= MAX_ID ? Number(raw) : null);

async function exists(tx: Tx, type: ObjectType, id: number | null): Promise<boolean> {
  if (id === null) return false;
  if (type === 'contacts') return (await getContact(tx, id)) !== null;
  if (type === 'companies') return (await companies.getCompany(tx, id)) !== null;
  return (await getMeeting(tx, id)) !== null;
}

async function requireRecord(tx: Tx, type: ObjectType, raw: string, field: string): Promise<number> {
  const id = asId(raw);
  if (id === null || !(await exists(tx, type, id))) throw errors.associatedObjectNotFound({ id: raw, field });
  return id;
}

/** Every record of `to` associated with each of `fromIds`, with its types, in id order. */
export async function associationsOf(tx: Tx, from: ObjectType, fromIds: number[], to: ObjectType): Promise<Map<number, Associated[]>> {
  const out = new Map<number, Associated[]>(fromIds.map((id) => [id, []]));
  const typeOf = (primary: boolean) => associationTypesBetween(from, to).filter((t) => !t.primary || primary);
  const push = (fromId: number, toObjectId: number, types: AssociationType[]) => out.get(fromId)?.push({ toObjectId, types });
  if (from === 'contacts' && to === 'companies') {
    for (const l of await companies.companyLinksOfContacts(tx, fromIds)) push(l.contactId, l.companyId, typeOf(l.primary));
  } else if (from === 'companies' && to === 'contacts') {
    for (const l of await companies.contactLinksOfCompanies(tx, fromIds)) push(l.companyId, l.contactId, typeOf(l.primary));
  } else if (from === 'contacts' && to === 'meetings') {
    for (const m of await listMeetingsOfContacts(tx, fromIds)) push(m.contactId, m.id, typeOf(false));
  } else if (from === 'meetings' && to === 'contacts') {
    for (const id of fromIds) {
      const m = await getMeeting(tx, id);
      if (m && (await getContact(tx, m.contactId))) push(id, m.contactId, typeOf(false));
    }
  }
  return out;
}

/** One page of a record's associations (404 when the record does not exist). */
export async function associationsPage(deps: Deps, p: { objectType: string; objectId: string; toObjectType: string }, page: { after: number; limit: number }) {
  const { from, to } = requirePair(p.objectType, p.toObjectType);
  const db = deps.db.kysely;
  const id = await requireRecord(db, from, p.objectId, 'objectId');
  const all = ((await associationsOf(db, from, [id], to)).get(id) ?? []).filter((a) => a.toObjectId > page.after);
  const results = all.slice(0, page.limit);
  return { results, nextAfter: all.length > page.limit ? String(results[results.length - 1].toObjectId) : null };
}

/** Checks each spec against HubSpot's defined types for the pair; the 400 names the spec at fault. */
function requireTypes(from: ObjectType, to: ObjectType, specs: AssociationSpec[], field: string): AssociationType[] {
  return specs.map((s, i) => {
    const t = s.associationCategory === 'HUBSPOT_DEFINED' ? associationType(from, to, s.associationTypeId) : undefined;
    if (!t) throw errors.associationTypeInvalid({ typeId: s.associationTypeId, category: s.associationCategory, from, to, field: `${field}[${i}].associationTypeId` });
    return t;
  });
}

interface Pair {
  from: ObjectType;
  to: ObjectType;
  fromId: string;
  toId: string;
}

/** What a create did: the labels between the pair afterwards (unlabeled types have none). */
export interface CreatedPair {
  from: ObjectType;
  to: ObjectType;
  fromId: number;
  toId: number;
  labels: string[];
}

async function createIn(tx: Tx, at: At, p: Pair, types: AssociationType[], f: Fields): Promise<CreatedPair> {
  const fromId = await requireRecord(tx, p.from, p.fromId, f.fromId);
  const toId = await requireRecord(tx, p.to, p.toId, f.toId);
  const primary = types.some((t) => t.primary);
  if (p.from === 'contacts' && p.to === 'companies') await associateContactCompany(tx, at, fromId, toId, primary);
  else if (p.from === 'companies' && p.to === 'contacts') await associateContactCompany(tx, at, toId, fromId, primary);
  else {
    const [meetingId, contactId] = p.from === 'meetings' ? [fromId, toId] : [toId, fromId];
    if ((await getMeeting(tx, meetingId))?.contactId !== contactId) throw errors.meetingContactFixed({ meetingId, field: p.from === 'meetings' ? f.toId : f.fromId });
  }
  const now = (await associationsOf(tx, p.from, [fromId], p.to)).get(fromId)?.find((a) => a.toObjectId === toId);
  return { from: p.from, to: p.to, fromId, toId, labels: (now?.types ?? []).flatMap((t) => (t.label ? [t.label] : [])) };
}

async function archiveIn(tx: Tx, at: At, p: Pair, onlyTypes: AssociationType[] | null, f: Fields): Promise<void> {
  const fromId = await requireRecord(tx, p.from, p.fromId, f.fromId);
  const toId = await requireRecord(tx, p.to, p.toId, f.toId);
  if (p.to === 'meetings' || p.from === 'meetings') {
    const [meetingId, contactId] = p.from === 'meetings' ? [fromId, toId] : [toId, fromId];
    if ((await getMeeting(tx, meetingId))?.contactId === contactId) throw errors.meetingContactFixed({ meetingId, field: p.from === 'meetings' ? f.toId : f.fromId });
    return;
  }
  const [contactId, companyId] = p.from === 'contacts' ? [fromId, toId] : [toId, fromId];
  // Removing only the Primary label keeps the pair; removing the unlabeled type removes it, as in HubSpot.
  const onlyPrimary = onlyTypes !== null && onlyTypes.every((t) => t.primary);
  await dissociateContactCompany(tx, at, contactId, companyId, onlyPrimary);
}

/** PUT …/associations/{toObjectType}/{toObjectId} with HubSpot-defined type ids. */
export function createAssociation(deps: Deps, p: { objectType: string; objectId: string; toObjectType: string; toObjectId: string }, specs: AssociationSpec[]): Promise<CreatedPair> {
  const { from, to } = requirePair(p.objectType, p.toObjectType);
  const types = requireTypes(from, to, specs, 'associationSpec');
  return deps.db.transaction((tx) => createIn(tx, atNow(deps), { from, to, fromId: p.objectId, toId: p.toObjectId }, types, PATH_FIELDS));
}

/** PUT …/associations/default/…: the unlabeled type, both directions reported. */
export function createDefaultAssociation(deps: Deps, p: { fromObjectType: string; fromObjectId: string; toObjectType: string; toObjectId: string }): Promise<CreatedPair> {
  const fields = { ...PATH_FIELDS, fromType: 'fromObjectType', fromId: 'fromObjectId' };
  const { from, to } = requirePair(p.fromObjectType, p.toObjectType, fields);
  const unlabeled = associationTypesBetween(from, to).filter((t) => !t.primary);
  return deps.db.transaction((tx) => createIn(tx, atNow(deps), { from, to, fromId: p.fromObjectId, toId: p.toObjectId }, unlabeled, fields));
}

export function archiveAssociation(deps: Deps, p: { objectType: string; objectId: string; toObjectType: string; toObjectId: string }): Promise<void> {
  const { from, to } = requirePair(p.objectType, p.toObjectType);
  return deps.db.transaction((tx) => archiveIn(tx, atNow(deps), { from, to, fromId: p.objectId, toId: p.toObjectId }, null, PATH_FIELDS));
}

/** The unlabeled types of a pair, each way: what a default association answers. */
export const defaultSpecs = (c: CreatedPair) => [
  ...associationTypesBetween(c.from, c.to).filter((t) => !t.primary).map((t) => ({ from: c.fromId, to: c.toId, typeId: t.typeId })),
  ...associationTypesBetween(c.to, c.from).filter((t) => !t.primary).map((t) => ({ from: c.toId, to: c.fromId, typeId: t.typeId })),
];

export const typeIdOf = (t: ObjectType): string => OBJECT_TYPES[t];

// ---- batch ------------------------------------------------------------------------------------

export interface BatchOutcome<R> {
  results: R[];
  failures: { error: SeqflowError; ids: string[] }[];
}

const split = <R>(outcomes: ItemOutcome<R>[], idsOf: (i: number) => string[]): BatchOutcome<R> => ({
  results: outcomes.flatMap((o) => (o.ok ? [o.value] : [])),
  failures: outcomes.flatMap((o, i) => (o.ok ? [] : [{ error: o.error, ids: idsOf(i) }])),
});

const batchFields = (i: number): Fields => ({ fromType: 'fromObjectType', toType: 'toObjectType', fromId: `inputs[${i}].from.id`, toId: `inputs[${i}].to.id` });

/** Each input in its own transaction: one that fails (an unknown id, a bad type) is listed, the others commit. */
export async function batchCreateAssociations(
  deps: Deps,
  types: { fromObjectType: string; toObjectType: string },
  inputs: { from: { id: string }; to: { id: string }; types: AssociationSpec[] }[],
  labelled = true,
): Promise<BatchOutcome<CreatedPair>> {
  const { from, to } = requirePair(types.fromObjectType, types.toObjectType, { fromType: 'fromObjectType', toType: 'toObjectType' });
  const checked = inputs.map((input, i) => (labelled ? requireTypes(from, to, input.types, `inputs[${i}].types`) : associationTypesBetween(from, to).filter((t) => !t.primary)));
  const indexed = inputs.map((input, i) => ({ input, i }));
  const outcomes = await eachInOwnTransaction(deps, indexed, (tx, at, { input, i }) => createIn(tx, at, { from, to, fromId: input.from.id, toId: input.to.id }, checked[i], batchFields(i)));
  return split(outcomes, (i) => [inputs[i].from.id, inputs[i].to.id]);
}

/** Removes every listed pair (or, with types, only those labels); pairs already absent are skipped. */
export async function batchArchiveAssociations(
  deps: Deps,
  types: { fromObjectType: string; toObjectType: string },
  inputs: { from: { id: string }; to: { id: string }[] }[],
  labels?: AssociationSpec[][],
): Promise<BatchOutcome<void>> {
  const { from, to } = requirePair(types.fromObjectType, types.toObjectType, { fromType: 'fromObjectType', toType: 'toObjectType' });
  const only = labels?.map((specs, i) => requireTypes(from, to, specs, `inputs[${i}].types`));
  const pairs = inputs.flatMap((input, i) => input.to.map((t, j) => ({ fromId: input.from.id, toId: t.id, i, j })));
  const outcomes = await eachInOwnTransaction(deps, pairs, (tx, at, p) =>
    archiveIn(tx, at, { from, to, fromId: p.fromId, toId: p.toId }, only?.[p.i] ?? null, { ...batchFields(p.i), toId: labels ? `inputs[${p.i}].to.id` : `inputs[${p.i}].to[${p.j}].id` }),
  );
  return split(outcomes, (k) => [pairs[k].fromId, pairs[k].toId]);
}

/** Each input's associations (first 500 after its cursor); ids naming no record are failures. */
export async function batchReadAssociations(deps: Deps, types: { fromObjectType: string; toObjectType: string }, inputs: { id: string; after?: string }[]) {
  const { from, to } = requirePair(types.fromObjectType, types.toObjectType, { fromType: 'fromObjectType', toType: 'toObjectType' });
  const db = deps.db.kysely;
  const results: { fromId: string; to: Associated[]; nextAfter: string | null }[] = [];
  const missing: string[] = [];
  for (const input of inputs) {
    const id = asId(input.id);
    if (id === null || !(await exists(db, from, id))) {
      missing.push(input.id);
      continue;
    }
    const after = input.after && /^\d+$/.test(input.after) ? Number(input.after) : 0;
    const all = ((await associationsOf(db, from, [id], to)).get(id) ?? []).filter((a) => a.toObjectId > after);
    const page = all.slice(0, 500);
    results.push({ fromId: String(id), to: page, nextAfter: all.length > 500 ? String(page[page.length - 1].toObjectId) : null });
  }
  return { from, to, results, missing };
}

/** associationsOf for a read outside a transaction (the `?associations=` of v3 reads). */
export const readAssociations = (deps: Deps, from: ObjectType, fromIds: number[], to: ObjectType): Promise<Map<number, Associated[]>> => associationsOf(deps.db.kysely, from, fromIds, to);

/** `associations` of a v3 create: each input's type ids name the other object type, as in HubSpot. */
export type CreateAssociations = { to: { id: string }; types: AssociationSpec[] }[];

/**
 * Associates a record just created (in the caller's transaction, so a bad input leaves nothing
 * written). A type id that is not HubSpot-defined from this object is a 400 naming it.
 */
export async function associateOnCreate(tx: Tx, at: At, from: ObjectType, id: number, inputs: CreateAssociations | undefined, prefix = 'associations'): Promise<void> {
  for (const [i, input] of (inputs ?? []).entries()) {
    const byTarget = new Map<ObjectType, AssociationType[]>();
    input.types.forEach((s, j) => {
      const t = s.associationCategory === 'HUBSPOT_DEFINED' ? ASSOCIATION_TYPES.find((x) => x.from === from && x.typeId === s.associationTypeId) : undefined;
      if (!t) throw errors.associationTypeInvalid({ typeId: s.associationTypeId, category: s.associationCategory, from, to: 'any object', field: `${prefix}[${i}].types[${j}].associationTypeId` });
      byTarget.set(t.to, [...(byTarget.get(t.to) ?? []), t]);
    });
    for (const [to, types] of byTarget) {
      await createIn(tx, at, { from, to, fromId: String(id), toId: input.to.id }, types, { fromType: 'objectType', toType: `${prefix}[${i}].types`, fromId: 'id', toId: `${prefix}[${i}].to.id` });
    }
  }
}
