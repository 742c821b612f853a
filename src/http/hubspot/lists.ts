import type { FastifyInstance } from 'fastify';
import type { ContactList } from '../../domain/glossary.js';
import {
  changeMembers,
  createList,
  findLists,
  listSizes,
  listsOfContact,
  membersPage,
  removeList,
  renameList,
  requireList,
  requireListByName,
  restoreList,
  updateListFilters,
} from '../../services/lists.js';
import { fieldError } from '../../services/errors.js';
import type { AppContext } from '../context.js';
import { lists } from '../../schemas/index.js';
import { iso, parse } from '../validate.js';

const L = '/crm/v3/lists';

/** HubSpot's PublicObjectList; the filter branch only when asked for (includeFilters), as HubSpot does. */
export function listView(l: ContactList, o: { size?: number; includeFilters?: boolean } = {}) {
  return {
    listId: String(l.id),
    listVersion: l.version,
    name: l.name,
    objectTypeId: l.objectTypeId,
    processingType: l.processingType,
    processingStatus: 'COMPLETE',
    ...(o.size !== undefined && { size: o.size }),
    createdAt: iso(l.createdAt),
    updatedAt: iso(l.updatedAt),
    filtersUpdatedAt: iso(l.filtersUpdatedAt),
    ...(l.createdByUserId !== null && { createdById: String(l.createdByUserId) }),
    ...(l.deletedAt !== null && { deletedAt: iso(l.deletedAt) }),
    ...(o.includeFilters && l.filterBranch != null && { filterBranch: l.filterBranch as Record<string, unknown> & { filterBranchType: string } }),
  };
}

const ids = (list: number[]) => list.map(String);

export function registerListRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  const withSizes = async (found: ContactList[], includeFilters: boolean) => {
    const sizes = await listSizes(deps, found.map((l) => l.id));
    return found.map((l) => listView(l, { size: sizes.get(l.id) ?? 0, includeFilters }));
  };

  app.post(L, async (req) => {
    const body = parse(lists.createListBody, req.body, 'body');
    const list = await createList(deps, { ...body, createdByUserId: req.principal?.userId ?? null });
    const size = (await listSizes(deps, [list.id])).get(list.id) ?? 0;
    return { list: listView(list, { size, includeFilters: true }) };
  });
  app.get(L, async (req) => {
    const q = parse(lists.getAllQuery, req.query, 'query');
    const wanted = q.listIds === undefined ? undefined : [q.listIds].flat().flatMap((s) => s.split(',')).filter((s) => s !== '');
    if (wanted?.some((s) => !/^\d+$/.test(s))) throw fieldError('listIds', 'listIds must be list ids.');
    const found = await findLists(deps, { ids: wanted?.map(Number), offset: 0, count: 10_000 });
    return { lists: await withSizes(found.lists, q.includeFilters === 'true') };
  });
  app.post(`${L}/search`, async (req) => {
    const body = parse(lists.searchListsBody, req.body, 'body');
    const found = await findLists(deps, { ids: body.listIds, query: body.query, processingTypes: body.processingTypes, offset: body.offset, count: body.count });
    const views = await withSizes(found.lists, false);
    return {
      lists: views.map((v) => ({ ...v, additionalProperties: { hs_list_size: String(v.size ?? 0) } })),
      total: found.total,
      offset: body.offset + views.length,
      hasMore: body.offset + views.length < found.total,
    };
  });
  app.get(`${L}/:listId`, async (req) => {
    const { listId } = parse(lists.listIdParam, req.params, 'path');
    const q = parse(lists.includeFiltersQuery, req.query, 'query');
    const [view] = await withSizes([await requireList(deps, listId)], q.includeFilters === 'true');
    return { list: view };
  });
  app.get(`${L}/object-type-id/:objectTypeId/name/:listName`, async (req) => {
    const p = parse(lists.listByNameParams, req.params, 'path');
    const q = parse(lists.includeFiltersQuery, req.query, 'query');
    const [view] = await withSizes([await requireListByName(deps, p.objectTypeId, p.listName)], q.includeFilters === 'true');
    return { list: view };
  });
  app.put(`${L}/:listId/update-list-name`, async (req) => {
    const { listId } = parse(lists.listIdParam, req.params, 'path');
    const q = parse(lists.updateNameQuery, req.query, 'query');
    if (q.listName === undefined) throw fieldError('listName', 'listName is required: the new name of the list.');
    const [view] = await withSizes([await renameList(deps, listId, q.listName)], q.includeFilters === 'true');
    return { updatedList: view };
  });
  app.put(`${L}/:listId/update-list-filters`, async (req) => {
    const { listId } = parse(lists.listIdParam, req.params, 'path');
    const q = parse(lists.updateFiltersQuery, req.query, 'query');
    const body = parse(lists.updateFiltersBody, req.body, 'body');
    const updated = await updateListFilters(deps, listId, body.filterBranch, { enrollObjectsInWorkflows: q.enrollObjectsInWorkflows === 'true' });
    const [view] = await withSizes([updated], true);
    return { updatedList: view };
  });
  app.delete(`${L}/:listId`, async (req, reply) => {
    await removeList(deps, parse(lists.listIdParam, req.params, 'path').listId);
    return reply.status(204).send();
  });
  app.put(`${L}/:listId/restore`, async (req, reply) => {
    await restoreList(deps, parse(lists.listIdParam, req.params, 'path').listId);
    return reply.status(204).send();
  });

  // ---- memberships
  app.get(`${L}/:listId/memberships`, async (req) => {
    const { listId } = parse(lists.listIdParam, req.params, 'path');
    const q = parse(lists.membershipsQuery, req.query, 'query');
    const { members, total } = await membersPage(deps, listId, { after: q.after, limit: q.limit + 1 });
    const page = members.slice(0, q.limit);
    return {
      results: page.map((m) => ({ recordId: String(m.contactId), membershipTimestamp: iso(m.addedAt) })),
      total,
      ...(members.length > q.limit && { paging: { next: { after: String(page[page.length - 1].contactId) } } }),
    };
  });
  const membershipChange = (change: { added: number[]; removed: number[]; missing: number[] }) => ({
    recordsIdsAdded: ids(change.added),
    recordIdsRemoved: ids(change.removed),
    recordIdsMissing: ids(change.missing),
  });
  app.put(`${L}/:listId/memberships/add`, async (req) => {
    const { listId } = parse(lists.listIdParam, req.params, 'path');
    return membershipChange(await changeMembers(deps, listId, { add: parse(lists.recordIdsBody, req.body, 'body'), remove: [] }));
  });
  app.put(`${L}/:listId/memberships/remove`, async (req) => {
    const { listId } = parse(lists.listIdParam, req.params, 'path');
    return membershipChange(await changeMembers(deps, listId, { add: [], remove: parse(lists.recordIdsBody, req.body, 'body') }));
  });
  app.put(`${L}/:listId/memberships/add-and-remove`, async (req) => {
    const { listId } = parse(lists.listIdParam, req.params, 'path');
    const body = parse(lists.addAndRemoveBody, req.body, 'body');
    return membershipChange(await changeMembers(deps, listId, { add: body.recordIdsToAdd, remove: body.recordIdsToRemove }));
  });
  app.get(`${L}/records/:objectTypeId/:recordId/memberships`, async (req) => {
    const p = parse(lists.recordMembershipsParams, req.params, 'path');
    const found = p.objectTypeId === '0-1' ? await listsOfContact(deps, p.recordId) : [];
    return {
      results: found.map((m) => ({ listId: String(m.list.id), listVersion: m.list.version, firstAddedTimestamp: iso(m.addedAt), lastAddedTimestamp: iso(m.addedAt) })),
      total: found.length,
    };
  });
}
