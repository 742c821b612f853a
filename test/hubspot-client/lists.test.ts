import { describe, expect, it } from 'vitest';
import type { Client } from '@hubspot/api-client';
import { dialectCases } from '../support/databases.js';
import { failure, hubspot, serveOfficialClient, show } from './client.js';

/**
 * Lists v3 driven only through @hubspot/api-client@13.5.0: crm.lists.listsApi (create, getById,
 * getByName, getAll, doSearch, updateName, updateListFilters, remove, restore) and
 * crm.lists.membershipsApi (add, remove, addAndRemove, getPage, getLists). Every response is
 * validated against our contracts (test/contracts/schemas) after each test.
 */

let n = 0;
const mail = (tag: string) => `${tag}-${++n}@lists.test`;
const uniq = (tag: string) => `${tag} ${++n}`;

/** HubSpot's documented shape: an OR of ANDs of PROPERTY filters. */
const propertyIs = (property: string, value: string) => ({
  filterBranchType: 'OR',
  filters: [],
  filterBranches: [
    {
      filterBranchType: 'AND',
      filterBranches: [],
      filters: [{ filterType: 'PROPERTY', property, operation: { operationType: 'MULTISTRING', operator: 'IS_EQUAL_TO', values: [value] } }],
    },
  ],
});

describe.each(dialectCases)('official HubSpot client: lists ($dialect)', ({ create, skip }) => {
  const suite = serveOfficialClient({ create, skip });

  type CreateRequest = Parameters<Client['crm']['lists']['listsApi']['create']>[0];
  const createList = (req: Record<string, unknown>) => suite.hs.crm.lists.listsApi.create(req as unknown as CreateRequest);
  const newContact = async (properties: Record<string, string>) => (await suite.hs.crm.contacts.basicApi.create({ properties, associations: [] })).id;
  const members = async (listId: string) => (await suite.hs.crm.lists.membershipsApi.getPage(listId)).results.map((r) => r.recordId).sort();

  describe.skipIf(skip)('listsApi', () => {
    it('should create a MANUAL list and read it back by id, by name and with getAll when it is new', async () => {
      const name = uniq('Manual');
      const created = await createList({ name, objectTypeId: '0-1', processingType: 'MANUAL' });
      expect(created.list).toMatchObject({ name, objectTypeId: '0-1', processingType: 'MANUAL', processingStatus: 'COMPLETE', listVersion: 1, size: 0 });
      expect(created.list.listId).toMatch(/^\d+$/);
      expect(created.list.createdAt).toBeInstanceOf(Date);

      const byId = await suite.hs.crm.lists.listsApi.getById(created.list.listId);
      expect(byId.list).toMatchObject({ listId: created.list.listId, name });
      const byName = await suite.hs.crm.lists.listsApi.getByName(name.toUpperCase(), '0-1');
      expect(byName.list.listId).toBe(created.list.listId);
      const all = await suite.hs.crm.lists.listsApi.getAll([created.list.listId]);
      expect(all.lists.map((l) => l.listId)).toEqual([created.list.listId]);
    });

    it('should create a DYNAMIC list holding the contacts its filters match when it is created', async () => {
      const tag = `dyn${++n}`;
      const a = await newContact({ email: mail('dyn-a'), jobtitle: tag });
      await newContact({ email: mail('dyn-b'), jobtitle: 'other' });
      const created = await createList({ name: uniq('Dynamic'), objectTypeId: '0-1', processingType: 'DYNAMIC', filterBranch: propertyIs('jobtitle', tag) });
      expect(created.list.processingType).toBe('DYNAMIC');
      expect(created.list.size).toBe(1);
      expect(created.list.filterBranch).toBeDefined();
      expect(await members(created.list.listId)).toEqual([a]);

      const withFilters = await suite.hs.crm.lists.listsApi.getById(created.list.listId, true);
      expect(JSON.stringify(withFilters.list.filterBranch)).toContain('jobtitle');
      const without = await suite.hs.crm.lists.listsApi.getById(created.list.listId);
      expect(without.list.filterBranch).toBeUndefined();
    });

    it('should find lists by name and processing type when doSearch is called', async () => {
      const word = `needle${++n}`;
      const m = await createList({ name: `${word} manual`, objectTypeId: '0-1', processingType: 'MANUAL' });
      await createList({ name: `${word} dynamic`, objectTypeId: '0-1', processingType: 'DYNAMIC', filterBranch: propertyIs('firstname', 'Nobody') });
      const found = await suite.hs.crm.lists.listsApi.doSearch({ query: word, processingTypes: ['MANUAL'] } as never);
      expect(found.total).toBe(1);
      expect(found.lists.map((l) => l.listId)).toEqual([m.list.listId]);
      expect(found.lists[0].additionalProperties).toMatchObject({ hs_list_size: '0' });
      expect(found.hasMore).toBe(false);
      const both = await suite.hs.crm.lists.listsApi.doSearch({ query: word, count: 1, offset: 0 } as never);
      expect(both).toMatchObject({ total: 2, offset: 1, hasMore: true });
    });

    it('should rename a list and bump its version when updateName is called', async () => {
      const created = await createList({ name: uniq('Old name'), objectTypeId: '0-1', processingType: 'MANUAL' });
      const name = uniq('New name');
      const updated = await suite.hs.crm.lists.listsApi.updateName(created.list.listId, name);
      expect(updated.updatedList).toMatchObject({ name, listVersion: 2 });
      expect((await suite.hs.crm.lists.listsApi.getById(created.list.listId)).list.name).toBe(name);
    });

    it('should re-evaluate members when a DYNAMIC list gets new filters', async () => {
      const tag = `refilter${++n}`;
      const a = await newContact({ email: mail('rf-a'), jobtitle: `${tag}-a` });
      const b = await newContact({ email: mail('rf-b'), jobtitle: `${tag}-b` });
      const created = await createList({ name: uniq('Refilter'), objectTypeId: '0-1', processingType: 'DYNAMIC', filterBranch: propertyIs('jobtitle', `${tag}-a`) });
      expect(await members(created.list.listId)).toEqual([a]);
      const updated = await suite.hs.crm.lists.listsApi.updateListFilters(created.list.listId, { filterBranch: propertyIs('jobtitle', `${tag}-b`) } as never);
      expect(updated.updatedList?.listVersion).toBe(2);
      expect(await members(created.list.listId)).toEqual([b]);
    });

    it('should 404 a removed list and bring it back when it is restored', async () => {
      const created = await createList({ name: uniq('Removable'), objectTypeId: '0-1', processingType: 'MANUAL' });
      await suite.hs.crm.lists.listsApi.remove(created.list.listId);
      const gone = await failure(suite.hs.crm.lists.listsApi.getById(created.list.listId));
      expect(gone.code, show()).toBe(404);
      expect(gone.body.category).toBe('OBJECT_NOT_FOUND');
      await suite.hs.crm.lists.listsApi.restore(created.list.listId);
      expect((await suite.hs.crm.lists.listsApi.getById(created.list.listId)).list.name).toBe(created.list.name);
    });

    it('should answer 409 when a list name is taken, whatever its case', async () => {
      const name = uniq('Taken');
      await createList({ name, objectTypeId: '0-1', processingType: 'MANUAL' });
      const err = await failure(createList({ name: name.toLowerCase(), objectTypeId: '0-1', processingType: 'MANUAL' }));
      expect(err.code, show()).toBe(409);
      expect(err.body.subCategory).toBe('LIST_NAME_EXISTS');
    });

    it('should answer 400 naming the field when a filter type is not a PROPERTY filter', async () => {
      const before = (await suite.hs.crm.lists.listsApi.doSearch({ query: 'Assoc' } as never)).total;
      const err = await failure(
        createList({
          name: uniq('Assoc'),
          objectTypeId: '0-1',
          processingType: 'DYNAMIC',
          filterBranch: { filterBranchType: 'OR', filterBranches: [{ filterBranchType: 'AND', filters: [{ filterType: 'ASSOCIATION', associationTypeId: 1 }] }] },
        }),
      );
      expect(err.code, show()).toBe(400);
      expect(err.body.category).toBe('VALIDATION_ERROR');
      expect(err.body.errors?.map((e) => e.in)).toContain('filterBranch.filterBranches[0].filters[0].filterType');
      // Nothing half-written.
      expect((await suite.hs.crm.lists.listsApi.doSearch({ query: 'Assoc' } as never)).total).toBe(before);
    });

    it('should answer 400 naming the field when the list is not of contacts or a DYNAMIC list has no filters', async () => {
      const companies = await failure(createList({ name: uniq('Companies'), objectTypeId: '0-2', processingType: 'MANUAL' }));
      expect(companies.code, show()).toBe(400);
      expect(companies.body.errors?.[0]?.in).toBe('objectTypeId');
      const noFilters = await failure(createList({ name: uniq('No filters'), objectTypeId: '0-1', processingType: 'DYNAMIC' }));
      expect(noFilters.code, show()).toBe(400);
      expect(noFilters.body.errors?.[0]?.in).toBe('filterBranch');
      const badType = await failure(createList({ name: uniq('Bad type'), objectTypeId: '0-1', processingType: 'STATIC' }));
      expect(badType.code, show()).toBe(400);
      expect(badType.body.errors?.[0]?.in).toBe('processingType');
    });
  });

  describe.skipIf(skip)('membershipsApi', () => {
    it('should add and remove members of a MANUAL list and report ids that name no contact', async () => {
      const list = (await createList({ name: uniq('Members'), objectTypeId: '0-1', processingType: 'MANUAL' })).list.listId;
      const a = await newContact({ email: mail('m-a') });
      const b = await newContact({ email: mail('m-b') });
      const added = await suite.hs.crm.lists.membershipsApi.add(list, [a, b, '999999']);
      expect(added.recordsIdsAdded.sort()).toEqual([a, b].sort());
      expect(added.recordIdsMissing).toEqual(['999999']);
      const again = await suite.hs.crm.lists.membershipsApi.add(list, [a]);
      expect(again.recordsIdsAdded).toEqual([]);
      expect(await members(list)).toEqual([a, b].sort());

      const removed = await suite.hs.crm.lists.membershipsApi.remove(list, [a]);
      expect(removed.recordIdsRemoved).toEqual([a]);
      expect(await members(list)).toEqual([b]);

      const both = await suite.hs.crm.lists.membershipsApi.addAndRemove(list, { recordIdsToAdd: [a], recordIdsToRemove: [b] });
      expect(both).toMatchObject({ recordsIdsAdded: [a], recordIdsRemoved: [b] });
      const lists = await suite.hs.crm.lists.membershipsApi.getLists('0-1', a);
      expect(lists.results.map((r) => r.listId)).toContain(list);
    });

    it('should page members in record id order with paging.next.after when there are more', async () => {
      const list = (await createList({ name: uniq('Paged'), objectTypeId: '0-1', processingType: 'MANUAL' })).list.listId;
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push(await newContact({ email: mail('page') }));
      await suite.hs.crm.lists.membershipsApi.add(list, ids);
      const first = await suite.hs.crm.lists.membershipsApi.getPage(list, undefined, undefined, 2);
      expect(first.results.map((r) => r.recordId)).toEqual(ids.slice(0, 2));
      expect(first.total).toBe(3);
      expect(first.results[0].membershipTimestamp).toBeInstanceOf(Date);
      const second = await suite.hs.crm.lists.membershipsApi.getPage(list, first.paging!.next!.after, undefined, 2);
      expect(second.results.map((r) => r.recordId)).toEqual(ids.slice(2));
      expect(second.paging).toBeUndefined();
    });

    it('should drop an archived contact from the members when it is archived', async () => {
      const list = (await createList({ name: uniq('Archive'), objectTypeId: '0-1', processingType: 'MANUAL' })).list.listId;
      const a = await newContact({ email: mail('arch') });
      await suite.hs.crm.lists.membershipsApi.add(list, [a]);
      await suite.hs.crm.contacts.basicApi.archive(a);
      expect(await members(list)).toEqual([]);
    });

    it('should answer 400 when members of a DYNAMIC list are changed by hand', async () => {
      const list = (await createList({ name: uniq('Hands off'), objectTypeId: '0-1', processingType: 'DYNAMIC', filterBranch: propertyIs('firstname', 'Zed') })).list.listId;
      const a = await newContact({ email: mail('dyn-hand') });
      const err = await failure(suite.hs.crm.lists.membershipsApi.add(list, [a]));
      expect(err.code, show()).toBe(400);
      expect(err.body.subCategory).toBe('LIST_NOT_MANUAL');
      expect(await members(list)).toEqual([]);
    });

    it('should answer 404 when the list does not exist', async () => {
      const err = await failure(suite.hs.crm.lists.membershipsApi.getPage('987654'));
      expect(err.code, show()).toBe(404);
    });
  });

  describe.skipIf(skip)('dynamic membership', () => {
    it('should follow contact changes when a contact starts and stops matching', async () => {
      const tag = `follow${++n}`;
      const list = (await createList({ name: uniq('Follow'), objectTypeId: '0-1', processingType: 'DYNAMIC', filterBranch: propertyIs('industry', tag) })).list.listId;
      const a = await newContact({ email: mail('follow'), industry: tag });
      expect(await members(list)).toEqual([a]);
      await suite.hs.crm.contacts.basicApi.update(a, { properties: { industry: 'something else' } });
      expect(await members(list)).toEqual([]);
      const b = await newContact({ email: mail('follow-b') });
      await suite.hs.crm.contacts.basicApi.update(b, { properties: { industry: tag } });
      expect(await members(list)).toEqual([b]);
    });
  });
});
