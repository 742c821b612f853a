import type { Selectable } from 'kysely';
import type { Db } from './database.js';
import { memoCatalog } from './transaction-memo.js';
import type { ContactList, ListMembership, ListProcessingType } from '../domain/glossary.js';
import type { ListsTable } from './schema.js';
import { fromJson, toJson } from './json.js';

const toList = (r: Selectable<ListsTable>): ContactList => ({
  id: r.id,
  name: r.name,
  objectTypeId: r.object_type_id,
  processingType: r.processing_type as ListProcessingType,
  filterBranch: fromJson<unknown>(r.filter_branch, null),
  version: r.version,
  createdByUserId: r.created_by_user_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  filtersUpdatedAt: r.filters_updated_at,
  deletedAt: r.deleted_at,
});

export const listNameKey = (name: string): string => name.trim().toLowerCase();

export async function insertList(
  db: Db,
  l: { name: string; objectTypeId: string; processingType: ListProcessingType; filterBranch: unknown; createdByUserId: number | null },
  now: number,
): Promise<ContactList> {
  const r = await db
    .insertInto('lists')
    .values({
      name: l.name,
      name_key: listNameKey(l.name),
      object_type_id: l.objectTypeId,
      processing_type: l.processingType,
      filter_branch: l.filterBranch == null ? null : toJson(l.filterBranch),
      version: 1,
      created_by_user_id: l.createdByUserId,
      created_at: now,
      updated_at: now,
      filters_updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toList(r);
}

export async function getList(db: Db, id: number, opts: { includeDeleted?: boolean } = {}): Promise<ContactList | null> {
  let q = db.selectFrom('lists').selectAll().where('id', '=', id);
  if (!opts.includeDeleted) q = q.where('deleted_at', 'is', null);
  const r = await q.executeTakeFirst();
  return r ? toList(r) : null;
}

/** The live list of that name, case-insensitively. */
export async function getListByName(db: Db, name: string): Promise<ContactList | null> {
  const r = await db.selectFrom('lists').selectAll().where('name_key', '=', listNameKey(name)).where('deleted_at', 'is', null).executeTakeFirst();
  return r ? toList(r) : null;
}

export interface ListQuery {
  ids?: number[];
  /** Case-insensitive substring of the name. */
  query?: string;
  processingTypes?: ListProcessingType[];
  offset: number;
  count: number;
}

/**
 * Live lists, newest first, and how many match in all. The name match runs here rather than in
 * LIKE (whose escaping differs between the dialects): an account holds hundreds of lists, not millions.
 */
export async function findLists(db: Db, q: ListQuery): Promise<{ lists: ContactList[]; total: number }> {
  let base = db.selectFrom('lists').selectAll().where('deleted_at', 'is', null);
  if (q.ids) base = base.where('id', 'in', q.ids.length ? q.ids : [0]);
  if (q.processingTypes?.length) base = base.where('processing_type', 'in', q.processingTypes);
  const needle = q.query?.trim().toLowerCase() ?? '';
  const all = (await base.orderBy('id', 'desc').execute()).filter((r) => r.name_key.includes(needle));
  return { lists: all.slice(q.offset, q.offset + q.count).map(toList), total: all.length };
}

/** Live DYNAMIC lists: what every contact change is evaluated against, so kept while no list changes (memoCatalog). */
export const listDynamicLists = (db: Db): Promise<ContactList[]> =>
  memoCatalog(db, 'lists', 'lists:dynamic', async () => {
    const rows = await db.selectFrom('lists').selectAll().where('deleted_at', 'is', null).where('processing_type', '=', 'DYNAMIC').orderBy('id').execute();
    return rows.map(toList);
  });

export async function renameList(db: Db, list: ContactList, name: string, now: number): Promise<ContactList> {
  const r = await db
    .updateTable('lists')
    .set({ name, name_key: listNameKey(name), version: list.version + 1, updated_at: now })
    .where('id', '=', list.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toList(r);
}

export async function setListFilters(db: Db, list: ContactList, filterBranch: unknown, now: number): Promise<ContactList> {
  const r = await db
    .updateTable('lists')
    .set({ filter_branch: toJson(filterBranch), version: list.version + 1, updated_at: now, filters_updated_at: now })
    .where('id', '=', list.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toList(r);
}

export async function setListDeleted(db: Db, id: number, deletedAt: number | null, now: number): Promise<void> {
  await db.updateTable('lists').set({ deleted_at: deletedAt, updated_at: now }).where('id', '=', id).execute();
}

/** Adds members; returns the contact ids that were not members before. */
export async function addMembers(db: Db, listId: number, contactIds: number[], now: number): Promise<number[]> {
  if (!contactIds.length) return [];
  const rows = await db
    .insertInto('list_memberships')
    .values(contactIds.map((contact_id) => ({ list_id: listId, contact_id, added_at: now })))
    .onConflict((oc) => oc.columns(['list_id', 'contact_id']).doNothing())
    .returning('contact_id')
    .execute();
  return rows.map((r) => r.contact_id);
}

/** Removes members; returns the contact ids that were members. */
export async function removeMembers(db: Db, listId: number, contactIds: number[]): Promise<number[]> {
  if (!contactIds.length) return [];
  const rows = await db.deleteFrom('list_memberships').where('list_id', '=', listId).where('contact_id', 'in', contactIds).returning('contact_id').execute();
  return rows.map((r) => r.contact_id);
}

/** Ids of the live lists a contact is on. */
export async function listIdsOfContact(db: Db, contactId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('list_memberships')
    .innerJoin('lists', 'lists.id', 'list_memberships.list_id')
    .select('list_memberships.list_id')
    .where('list_memberships.contact_id', '=', contactId)
    .where('lists.deleted_at', 'is', null)
    .execute();
  return rows.map((r) => r.list_id);
}

/** A contact's memberships of live lists, by list id. */
export async function membershipsOfContact(db: Db, contactId: number): Promise<{ list: ContactList; addedAt: number }[]> {
  const rows = await db
    .selectFrom('list_memberships')
    .innerJoin('lists', 'lists.id', 'list_memberships.list_id')
    .selectAll('lists')
    .select('list_memberships.added_at')
    .where('list_memberships.contact_id', '=', contactId)
    .where('lists.deleted_at', 'is', null)
    .orderBy('lists.id')
    .execute();
  return rows.map((r) => ({ list: toList(r), addedAt: r.added_at }));
}

/**
 * Members whose contact is live (archived and GDPR-purged contacts are no one's members, as in
 * HubSpot), in contact id order after `after`.
 */
export async function membershipPage(db: Db, listId: number, o: { after: number; limit: number }): Promise<ListMembership[]> {
  const rows = await db
    .selectFrom('list_memberships')
    .innerJoin('contacts', 'contacts.id', 'list_memberships.contact_id')
    .select(['list_memberships.list_id', 'list_memberships.contact_id', 'list_memberships.added_at'])
    .where('list_memberships.list_id', '=', listId)
    .where('contacts.archived_at', 'is', null)
    .where('list_memberships.contact_id', '>', o.after)
    .orderBy('list_memberships.contact_id')
    .limit(o.limit)
    .execute();
  return rows.map((r) => ({ listId: r.list_id, contactId: r.contact_id, addedAt: r.added_at }));
}

/** How many live contacts each list holds. */
export async function countMembers(db: Db, listIds: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>(listIds.map((id) => [id, 0]));
  if (!listIds.length) return out;
  const rows = await db
    .selectFrom('list_memberships')
    .innerJoin('contacts', 'contacts.id', 'list_memberships.contact_id')
    .select(['list_memberships.list_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('list_memberships.list_id', 'in', listIds)
    .where('contacts.archived_at', 'is', null)
    .groupBy('list_memberships.list_id')
    .execute();
  for (const r of rows) out.set(r.list_id, Number(r.n));
  return out;
}

/** Every member id of a list (removed from it are those no longer matching a changed filter). */
export async function allMemberIds(db: Db, listId: number): Promise<number[]> {
  const rows = await db.selectFrom('list_memberships').select('contact_id').where('list_id', '=', listId).orderBy('contact_id').execute();
  return rows.map((r) => r.contact_id);
}

/** The live lists each of these contacts is on, as list id strings (what IN_LIST filters compare). */
export async function listIdsOfContacts(db: Db, contactIds: number[]): Promise<Map<number, Set<string>>> {
  const out = new Map<number, Set<string>>();
  if (!contactIds.length) return out;
  const rows = await db
    .selectFrom('list_memberships')
    .innerJoin('lists', 'lists.id', 'list_memberships.list_id')
    .select(['list_memberships.contact_id', 'list_memberships.list_id'])
    .where('list_memberships.contact_id', 'in', contactIds)
    .where('lists.deleted_at', 'is', null)
    .execute();
  for (const r of rows) {
    const set = out.get(r.contact_id) ?? new Set<string>();
    set.add(String(r.list_id));
    out.set(r.contact_id, set);
  }
  return out;
}
