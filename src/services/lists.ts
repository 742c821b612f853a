import type { ContactList, ListMembership, ListProcessingType } from '../domain/glossary.js';
import { matchesFlowBranch, validateFlowBranch, type FlowFilterBranch } from '../domain/filters.js';
import { getContacts, listContacts } from '../store/contacts.js';
import type { Tx } from '../store/database.js';
import { appendEvent } from '../store/events.js';
import { isUniqueViolation } from '../store/json.js';
import * as lists from '../store/lists.js';
import { contactPropertiesOf } from './contacts.js';
import type { Deps } from './deps.js';
import { errors, fieldError, validationError } from './errors.js';
import { fireListBasedTriggers, type At } from './events.js';
import { atNow } from './unenroll-contact.js';
import { comparisonTypes } from './properties.js';

/** Contacts are the only object Seqflow keeps lists of (HubSpot's objectTypeId 0-1). */
export const CONTACT_OBJECT_TYPE = '0-1';

export interface NewList {
  name: string;
  objectTypeId: string;
  processingType: ListProcessingType;
  filterBranch?: unknown;
  createdByUserId: number | null;
}

/**
 * A list's filters: a HubSpot filter branch of PROPERTY filters (what src/domain/filters.ts
 * evaluates). Other filter types (ASSOCIATION, IN_LIST, events, …) are refused naming the field.
 */
function checkFilters(processingType: ListProcessingType, filterBranch: unknown): void {
  if (processingType === 'MANUAL') {
    if (filterBranch != null) throw fieldError('filterBranch', 'A MANUAL list has no filters: leave filterBranch out, or use DYNAMIC or SNAPSHOT.');
    return;
  }
  if (filterBranch == null) throw fieldError('filterBranch', `A ${processingType} list needs a filterBranch.`);
  const problems = [...validateFlowBranch(filterBranch, 'filterBranch'), ...timeRelative(filterBranch, 'filterBranch', 0)];
  if (problems.length) throw validationError(`Invalid filterBranch (${problems[0].in}: ${problems[0].message})`, problems.map((p) => ({ ...p, code: 'INVALID_FILTER' })), 'INVALID_FILTER');
}

/**
 * Membership is re-evaluated when a contact changes, not as time passes, so a filter whose
 * answer changes with the clock alone ("is today", "in the last N days") would go stale: refused.
 */
const TIME_RELATIVE = new Set(['IS_TODAY', 'IN_LAST_N_DAYS']);
function timeRelative(branch: unknown, path: string, depth: number): { in: string; message: string }[] {
  if (typeof branch !== 'object' || branch === null || depth > 16) return [];
  const b = branch as { filters?: unknown; filterBranches?: unknown };
  const filters = Array.isArray(b.filters) ? (b.filters as { operation?: { operator?: unknown } }[]) : [];
  const subs = Array.isArray(b.filterBranches) ? b.filterBranches : [];
  return [
    ...filters.flatMap((f, i) =>
      TIME_RELATIVE.has(String(f?.operation?.operator))
        ? [{ in: `${path}.filters[${i}].operation.operator`, message: `${String(f.operation!.operator)} changes with time alone; list membership follows contact changes, so use a fixed date (IS_BETWEEN, IS_GREATER_THAN).` }]
        : [],
    ),
    ...subs.flatMap((sub, i) => timeRelative(sub, `${path}.filterBranches[${i}]`, depth + 1)),
  ];
}

export async function createList(deps: Deps, input: NewList): Promise<ContactList> {
  if (input.objectTypeId !== CONTACT_OBJECT_TYPE) throw fieldError('objectTypeId', `Only contact lists (objectTypeId ${CONTACT_OBJECT_TYPE}) are supported.`);
  checkFilters(input.processingType, input.filterBranch);
  const name = input.name.trim();
  try {
    return await deps.db.transaction(async (tx) => {
      const at = atNow(deps);
      if (await lists.getListByName(tx, name)) throw errors.listNameExists({ name });
      const list = await lists.insertList(tx, { ...input, name, filterBranch: input.filterBranch ?? null }, at.now);
      if (list.processingType !== 'MANUAL') await fillFromFilters(tx, at, list);
      return list;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'lists')) throw errors.listNameExists({ name });
    throw err;
  }
}

/**
 * Adds every live contact matching the list's filters. No workflow can name a list before it
 * exists, so a new list's first members fire no triggers; a filter change fires them only when
 * asked to (HubSpot's enrollObjectsInWorkflows).
 */
async function fillFromFilters(tx: Tx, at: At, list: ContactList, fireTriggers = false): Promise<void> {
  const members = new Set(await lists.allMemberIds(tx, list.id));
  const ctx = { ...at, types: await comparisonTypes(tx, 'contacts') };
  for (let after = 0; ; ) {
    const batch = await listContacts(tx, { after, limit: 500 });
    if (batch.length === 0) break;
    for (const contact of batch) {
      const props = contactPropertiesOf(contact);
      const matches = matchesFlowBranch(props, list.filterBranch as FlowFilterBranch, ctx);
      if (matches && !members.has(contact.id)) await join(tx, at, list, contact.id, fireTriggers ? props : null);
      else if (!matches && members.has(contact.id) && list.processingType === 'DYNAMIC') await leave(tx, at, list, contact.id);
    }
    after = batch[batch.length - 1].id;
  }
}

/** A contact joins a list (recorded on its timeline); with its properties, list-membership triggers fire. */
async function join(tx: Tx, at: At, list: ContactList, contactId: number, firing: Record<string, string | null> | null): Promise<boolean> {
  const added = await lists.addMembers(tx, list.id, [contactId], at.now);
  if (!added.length) return false;
  await appendEvent(tx, contactId, 'ADDED_TO_LIST', at.now, { listId: list.id });
  if (firing) {
    const after = new Set((await lists.listIdsOfContact(tx, contactId)).map(String));
    const before = new Set([...after].filter((id) => id !== String(list.id)));
    await fireListBasedTriggers(tx, at, contactId, firing, firing, { before, after });
  }
  return true;
}

async function leave(tx: Tx, at: At, list: ContactList, contactId: number): Promise<boolean> {
  const removed = await lists.removeMembers(tx, list.id, [contactId]);
  if (!removed.length) return false;
  await appendEvent(tx, contactId, 'REMOVED_FROM_LIST', at.now, { listId: list.id });
  return true;
}

export async function requireList(deps: Deps, id: number, opts: { includeDeleted?: boolean } = {}): Promise<ContactList> {
  const list = await lists.getList(deps.db.kysely, id, opts);
  if (!list) throw errors.listNotFound({ id });
  return list;
}

export async function requireListByName(deps: Deps, objectTypeId: string, name: string): Promise<ContactList> {
  const list = objectTypeId === CONTACT_OBJECT_TYPE ? await lists.getListByName(deps.db.kysely, name) : null;
  if (!list) throw errors.listNotFound({ id: name });
  return list;
}

export const findLists = (deps: Deps, q: lists.ListQuery) => lists.findLists(deps.db.kysely, q);
export const listSizes = (deps: Deps, ids: number[]) => lists.countMembers(deps.db.kysely, ids);

export async function renameList(deps: Deps, id: number, name: string): Promise<ContactList> {
  const trimmed = name.trim();
  if (!trimmed) throw fieldError('listName', 'listName must not be empty.');
  try {
    return await deps.db.transaction(async (tx) => {
      const list = await lists.getList(tx, id);
      if (!list) throw errors.listNotFound({ id });
      const other = await lists.getListByName(tx, trimmed);
      if (other && other.id !== id) throw errors.listNameExists({ name: trimmed });
      return lists.renameList(tx, list, trimmed, deps.clock.now());
    });
  } catch (err) {
    if (isUniqueViolation(err, 'lists')) throw errors.listNameExists({ name: trimmed });
    throw err;
  }
}

/**
 * New filters for a DYNAMIC or SNAPSHOT list. A DYNAMIC list's members are re-evaluated at
 * once (joining and leaving); a SNAPSHOT list only gains the contacts that match now.
 */
export async function updateListFilters(deps: Deps, id: number, filterBranch: unknown, o: { enrollObjectsInWorkflows: boolean }): Promise<ContactList> {
  return deps.db.transaction(async (tx) => {
    const list = await lists.getList(tx, id);
    if (!list) throw errors.listNotFound({ id });
    if (list.processingType === 'MANUAL') throw errors.listHasNoFilters({ id });
    checkFilters(list.processingType, filterBranch);
    const at = atNow(deps);
    const updated = await lists.setListFilters(tx, list, filterBranch, at.now);
    await fillFromFilters(tx, at, updated, o.enrollObjectsInWorkflows);
    return updated;
  });
}

export async function removeList(deps: Deps, id: number): Promise<void> {
  await deps.db.transaction(async (tx) => {
    if (!(await lists.getList(tx, id))) throw errors.listNotFound({ id });
    await lists.setListDeleted(tx, id, deps.clock.now(), deps.clock.now());
  });
}

export async function restoreList(deps: Deps, id: number): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const list = await lists.getList(tx, id, { includeDeleted: true });
    if (!list) throw errors.listNotFound({ id });
    if (list.deletedAt === null) return;
    if (await lists.getListByName(tx, list.name)) throw errors.listNameExists({ name: list.name });
    await lists.setListDeleted(tx, id, null, deps.clock.now());
  });
}

export interface MembershipChange {
  added: number[];
  removed: number[];
  /** Ids given that name no live contact (or, when removing, no member). */
  missing: number[];
}

/**
 * Adds and removes members of a MANUAL or SNAPSHOT list in one transaction. A contact that
 * joins fires the list-membership triggers of the workflows, as a contact matching a DYNAMIC
 * list's filters does.
 */
export async function changeMembers(deps: Deps, id: number, change: { add: number[]; remove: number[] }): Promise<MembershipChange> {
  return deps.db.transaction(async (tx) => {
    const list = await lists.getList(tx, id);
    if (!list) throw errors.listNotFound({ id });
    if (list.processingType === 'DYNAMIC') throw errors.listNotManual({ id });
    const at = atNow(deps);
    const out: MembershipChange = { added: [], removed: [], missing: [] };
    const addIds = [...new Set(change.add)];
    // In slices: one IN list of 100,000 ids is past both databases' parameter limits.
    for (let i = 0; i < addIds.length; i += 1000) {
      const slice = addIds.slice(i, i + 1000);
      const live = new Map((await getContacts(tx, slice)).map((c) => [c.id, c]));
      for (const contactId of slice) {
        const contact = live.get(contactId);
        if (!contact) out.missing.push(contactId);
        else if (await join(tx, at, list, contactId, contactPropertiesOf(contact))) out.added.push(contactId);
      }
    }
    for (const contactId of [...new Set(change.remove)]) {
      if (await leave(tx, at, list, contactId)) out.removed.push(contactId);
      else out.missing.push(contactId);
    }
    return out;
  });
}

/** A page of a list's members in contact id order, and how many it has. */
export async function membersPage(deps: Deps, id: number, o: { after: number; limit: number }): Promise<{ members: ListMembership[]; total: number }> {
  await requireList(deps, id);
  const db = deps.db.kysely;
  return { members: await lists.membershipPage(db, id, o), total: (await lists.countMembers(db, [id])).get(id) ?? 0 };
}

/** The live lists a contact is on. */
export async function listsOfContact(deps: Deps, contactId: number): Promise<{ list: ContactList; addedAt: number }[]> {
  return lists.membershipsOfContact(deps.db.kysely, contactId);
}
