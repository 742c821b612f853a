import { beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@hubspot/api-client';
import { dialectCases } from '../support/databases.js';
import { failure, hubspot, serveOfficialClient, show } from './client.js';

/**
 * CRM contacts v3 driven only through @hubspot/api-client@13.5.0 (hubspot-api.md §3.1–3.3):
 * crm.contacts.basicApi, batchApi, searchApi and getAll(). Every response is also validated
 * against our contracts (test/contracts) after each test.
 *
 * One server per dialect; each test uses email addresses of its own.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
let n = 0;
const mail = (tag: string) => `${tag}-${++n}@client.test`;

describe.each(dialectCases)('official HubSpot client: contacts ($dialect)', ({ create, skip }) => {
  const suite = serveOfficialClient({ create, skip });

  type SearchRequest = Parameters<Client['crm']['contacts']['searchApi']['doSearch']>[0];
  /** The request as JS users write it (operators as strings, sorts as strings or objects, after as 0). */
  const search = (req: Record<string, unknown>) => suite.hs.crm.contacts.searchApi.doSearch(req as unknown as SearchRequest);
  const newContact = async (properties: Record<string, string>) => suite.hs.crm.contacts.basicApi.create({ properties, associations: [] });

  describe.skipIf(skip)('basicApi', () => {
    it('should return 201 and a SimplePublicObject when a contact is created', async () => {
      const email = mail('create');
      const c = await newContact({ email, firstname: 'Ada', lastname: 'Lovelace' });
      expect(c.id).toMatch(/^\d+$/);
      expect(c.properties).toMatchObject({ email, firstname: 'Ada', lastname: 'Lovelace', hs_object_id: c.id });
      expect(c.createdAt).toBeInstanceOf(Date);
      expect(Number.isNaN(c.createdAt.getTime())).toBe(false);
      expect(c.archived).toBe(false);
    });

    it('should surface 409 CONFLICT naming the existing id when the email is already taken', async () => {
      const email = mail('dup');
      const first = await newContact({ email });
      const err = await failure(newContact({ email: email.toUpperCase() }));
      expect(err.code, show()).toBe(409);
      expect(err.body.category).toBe('CONFLICT');
      expect(err.body.message).toBe(`Contact already exists. Existing ID: ${first.id}`);
      expect(err.body.correlationId).toMatch(UUID);
    });

    it('should surface 400 VALIDATION_ERROR with errors[].in when the email is malformed', async () => {
      const err = await failure(newContact({ email: 'not-an-email' }));
      expect(err.code, show()).toBe(400);
      expect(err.body.category).toBe('VALIDATION_ERROR');
      expect(err.body.errors?.map((e) => e.in)).toContain('email');
    });

    it('should return the requested properties only when getById is given a property list', async () => {
      const email = mail('get');
      const c = await newContact({ email, firstname: 'Grace', company: 'Navy' });
      const got = await suite.hs.crm.contacts.basicApi.getById(c.id, ['firstname', 'company', 'phone']);
      expect(got.id).toBe(c.id);
      expect(got.properties).toEqual({ firstname: 'Grace', company: 'Navy', phone: null });
    });

    it('should find the contact by email when getById is called with idProperty email', async () => {
      const email = mail('byemail');
      const c = await newContact({ email, firstname: 'Edsger' });
      const got = await suite.hs.crm.contacts.basicApi.getById(email, ['email', 'firstname'], undefined, undefined, false, 'email');
      expect(got.id).toBe(c.id);
      expect(got.properties.firstname).toBe('Edsger');
    });

    it('should surface 404 OBJECT_NOT_FOUND when getById names no contact', async () => {
      const err = await failure(suite.hs.crm.contacts.basicApi.getById('987654321'));
      expect(err.code, show()).toBe(404);
      expect(err.body.category).toBe('OBJECT_NOT_FOUND');
      const byEmail = await failure(suite.hs.crm.contacts.basicApi.getById(mail('nobody'), undefined, undefined, undefined, false, 'email'));
      expect(byEmail.code, show()).toBe(404);
      expect(byEmail.body.category).toBe('OBJECT_NOT_FOUND');
    });

    it('should walk every contact exactly once when getPage follows paging.next.after', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 5; i++) ids.add((await newContact({ email: mail('page') })).id);
      const seen: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await suite.hs.crm.contacts.basicApi.getPage(2, after, ['email']);
        expect(page.results.length).toBeLessThanOrEqual(2);
        seen.push(...page.results.map((r) => r.id));
        after = page.paging?.next?.after;
        pages++;
      } while (after && pages < 1000);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of ids) expect(seen).toContain(id);
    });

    it('should return every contact when getAll pages through getPage', async () => {
      const mine = [await newContact({ email: mail('all') }), await newContact({ email: mail('all') })];
      const all = await suite.hs.crm.contacts.getAll(undefined, undefined, ['email']);
      const ids = all.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const c of mine) expect(ids).toContain(c.id);
    });

    it('should change the properties when update is called by id and by email', async () => {
      const email = mail('upd');
      const c = await newContact({ email, firstname: 'Old' });
      const byId = await suite.hs.crm.contacts.basicApi.update(c.id, { properties: { firstname: 'New' } });
      expect(byId.properties.firstname).toBe('New');
      const byEmail = await suite.hs.crm.contacts.basicApi.update(email, { properties: { lastname: 'Name' } }, 'email');
      expect(byEmail.id).toBe(c.id);
      expect((await suite.hs.crm.contacts.basicApi.getById(c.id, ['firstname', 'lastname'])).properties).toEqual({ firstname: 'New', lastname: 'Name' });
    });

    it('should answer 204 and then 404 when a contact is archived', async () => {
      const c = await newContact({ email: mail('arch') });
      await expect(suite.hs.crm.contacts.basicApi.archive(c.id)).resolves.toBeUndefined();
      const err = await failure(suite.hs.crm.contacts.basicApi.getById(c.id));
      expect(err.code, show()).toBe(404);
    });

    it('should keep the primary and return it when two contacts are merged', async () => {
      const primary = await newContact({ email: mail('primary'), firstname: 'Keep' });
      const other = await newContact({ email: mail('merged'), phone: '+1 555 0100' });
      const merged = await suite.hs.crm.contacts.basicApi.merge({ primaryObjectId: primary.id, objectIdToMerge: other.id });
      expect(merged.id, show()).toBe(primary.id);
      expect(merged.properties.firstname).toBe('Keep');
      const page = await suite.hs.crm.contacts.basicApi.getPage(100, undefined, ['email']);
      expect(page.results.map((r) => r.id)).not.toContain(other.id);
    });

    it('should answer 204 and forget the contact when it is purged (GDPR delete) by id and by email', async () => {
      const a = await newContact({ email: mail('gdpr') });
      await expect(suite.hs.crm.contacts.basicApi.purge({ objectId: a.id })).resolves.toBeUndefined();
      expect((await failure(suite.hs.crm.contacts.basicApi.getById(a.id))).code, show()).toBe(404);
      const email = mail('gdpr');
      await newContact({ email });
      await expect(suite.hs.crm.contacts.basicApi.purge({ objectId: email, idProperty: 'email' })).resolves.toBeUndefined();
      expect((await failure(suite.hs.crm.contacts.basicApi.getById(email, undefined, undefined, undefined, false, 'email'))).code, show()).toBe(404);
    });
  });

  describe.skipIf(skip)('batchApi', () => {
    it('should return 201 with every created contact when batch create succeeds', async () => {
      const emails = [mail('bc'), mail('bc')];
      const r = await suite.hs.crm.contacts.batchApi.create({ inputs: emails.map((email) => ({ properties: { email, firstname: 'Batch' }, associations: [] })) });
      expect(r.status).toBe('COMPLETE');
      expect(r.results.map((c) => c.properties.email).sort()).toEqual([...emails].sort());
      expect(r.completedAt).toBeInstanceOf(Date);
    });

    it('should return the contacts when batch read is given ids and a property list', async () => {
      const a = await newContact({ email: mail('br'), firstname: 'A' });
      const b = await newContact({ email: mail('br'), firstname: 'B' });
      const r = await suite.hs.crm.contacts.batchApi.read({ inputs: [{ id: a.id }, { id: b.id }], properties: ['firstname'], propertiesWithHistory: [] });
      expect(r.results.map((c) => [c.id, c.properties.firstname]).sort()).toEqual([
        [a.id, 'A'],
        [b.id, 'B'],
      ]);
    });

    it('should read by email when batch read is given idProperty email', async () => {
      const email = mail('bre');
      const a = await newContact({ email });
      const r = await suite.hs.crm.contacts.batchApi.read({ inputs: [{ id: email }], idProperty: 'email', properties: ['email'], propertiesWithHistory: [] });
      expect(r.results.map((c) => c.id)).toEqual([a.id]);
    });

    it('should answer 207 with numErrors and the missing id when batch read names an unknown contact', async () => {
      const a = await newContact({ email: mail('br207') });
      const r = (await suite.hs.crm.contacts.batchApi.read({ inputs: [{ id: a.id }, { id: '987654321' }], properties: [], propertiesWithHistory: [] })) as Awaited<
        ReturnType<Client['crm']['contacts']['batchApi']['read']>
      > & { numErrors?: number; errors?: { category: string; context?: Record<string, string[]> }[] };
      expect(r.results.map((c) => c.id)).toEqual([a.id]);
      expect(r.numErrors, show()).toBe(1);
      expect(r.errors?.[0].category).toBe('OBJECT_NOT_FOUND');
      expect(JSON.stringify(r.errors?.[0].context)).toContain('987654321');
    });

    it('should change each contact when batch update succeeds', async () => {
      const a = await newContact({ email: mail('bu') });
      const b = await newContact({ email: mail('bu') });
      const r = await suite.hs.crm.contacts.batchApi.update({ inputs: [{ id: a.id, properties: { lastname: 'One' } }, { id: b.id, properties: { lastname: 'Two' } }] });
      expect(r.results.map((c) => c.properties.lastname).sort()).toEqual(['One', 'Two']);
      expect((await suite.hs.crm.contacts.basicApi.getById(b.id, ['lastname'])).properties.lastname).toBe('Two');
    });

    it('should create the new and update the existing contact when batch upsert is keyed by email', async () => {
      const existing = mail('ups');
      const fresh = mail('ups');
      const old = await newContact({ email: existing, firstname: 'Before' });
      const r = await suite.hs.crm.contacts.batchApi.upsert({
        inputs: [
          { id: existing, idProperty: 'email', properties: { firstname: 'After' } },
          { id: fresh, idProperty: 'email', properties: { firstname: 'Fresh' } },
        ],
      });
      const byEmail = Object.fromEntries(r.results.map((c) => [c.properties.email, c]));
      expect(byEmail[existing]?.id, show()).toBe(old.id);
      expect(byEmail[existing]?._new).toBe(false);
      expect(byEmail[existing]?.properties.firstname).toBe('After');
      expect(byEmail[fresh]?._new).toBe(true);
    });

    it('should answer 204 and archive each contact when batch archive succeeds', async () => {
      const a = await newContact({ email: mail('ba') });
      const b = await newContact({ email: mail('ba') });
      await expect(suite.hs.crm.contacts.batchApi.archive({ inputs: [{ id: a.id }, { id: b.id }] })).resolves.toBeUndefined();
      expect((await failure(suite.hs.crm.contacts.basicApi.getById(a.id))).code, show()).toBe(404);
      expect((await failure(suite.hs.crm.contacts.basicApi.getById(b.id))).code, show()).toBe(404);
    });
  });

  describe.skipIf(skip)('searchApi.doSearch', () => {
    // A world of its own: every contact here has lastname Searchable-<tag>, so the filters see only them.
    const tag = `S${Date.now().toString(36)}`;
    const people: Record<string, string>[] = [
      { firstname: 'Alice', company: 'Acme Rockets', city: 'Boston', score: '10' },
      { firstname: 'Bob', company: 'Acme Widgets', city: 'Denver', score: '20' },
      { firstname: 'Carol', company: 'Globex', city: 'Boston', score: '30' },
      { firstname: 'Dave', company: 'Initech', score: '40' },
      { firstname: 'Erin', company: 'Globex', city: 'Austin', score: '50' },
    ];
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      if (skip) return;
      // score is a custom number property: it must exist before contacts carry it (HubSpot's PROPERTY_DOESNT_EXIST).
      await suite.hs.crm.properties.coreApi.create('contacts', { name: 'score', label: 'Score', type: 'number', fieldType: 'number', groupName: 'contactinformation' } as never);
      for (const p of people) ids[p.firstname] = (await newContact({ ...p, email: mail(p.firstname.toLowerCase()), lastname: `Searchable-${tag}` })).id;
    });
    const mine = { propertyName: 'lastname', operator: 'EQ', value: `Searchable-${tag}` };
    const names = (r: { results: { properties: Record<string, string | null> }[] }) => r.results.map((c) => c.properties.firstname);

    it('should match when filters AND within a group and groups OR', async () => {
      const r = await search({
        filterGroups: [
          { filters: [mine, { propertyName: 'city', operator: 'EQ', value: 'Boston' }, { propertyName: 'score', operator: 'GT', value: '15' }] },
          { filters: [mine, { propertyName: 'firstname', operator: 'IN', values: ['Bob', 'Dave'] }] },
        ],
        sorts: ['firstname'],
        properties: ['firstname'],
        limit: 10,
        after: '0',
      });
      expect(names(r)).toEqual(['Bob', 'Carol', 'Dave']);
      expect(r.total).toBe(3);
    });

    it('should apply NEQ, BETWEEN, CONTAINS_TOKEN, NOT_IN, HAS_PROPERTY and NOT_HAS_PROPERTY when each is used', async () => {
      const one = async (f: Record<string, unknown>) =>
        names(await search({ filterGroups: [{ filters: [mine, f] }], sorts: ['firstname'], properties: ['firstname'], limit: 10, after: '0' }));
      expect(await one({ propertyName: 'company', operator: 'NEQ', value: 'Globex' })).toEqual(['Alice', 'Bob', 'Dave']);
      expect(await one({ propertyName: 'score', operator: 'BETWEEN', value: '20', highValue: '40' })).toEqual(['Bob', 'Carol', 'Dave']);
      expect(await one({ propertyName: 'company', operator: 'CONTAINS_TOKEN', value: 'acme' })).toEqual(['Alice', 'Bob']);
      expect(await one({ propertyName: 'city', operator: 'NOT_IN', values: ['Boston', 'Austin'] })).toEqual(['Bob', 'Dave']);
      expect(await one({ propertyName: 'city', operator: 'HAS_PROPERTY' })).toEqual(['Alice', 'Bob', 'Carol', 'Erin']);
      expect(await one({ propertyName: 'city', operator: 'NOT_HAS_PROPERTY' })).toEqual(['Dave']);
      expect(await one({ propertyName: 'score', operator: 'LTE', value: '20' })).toEqual(['Alice', 'Bob']);
    });

    it('should find by free text when query is given', async () => {
      const r = await search({ query: 'globex', filterGroups: [{ filters: [mine] }], sorts: ['firstname'], properties: ['firstname', 'company'], limit: 10, after: '0' });
      expect(names(r)).toEqual(['Carol', 'Erin']);
      expect(r.results[0].properties).toEqual({ firstname: 'Carol', company: 'Globex' });
    });

    it('should sort descending when sorts are strings with a minus prefix', async () => {
      const r = await search({ filterGroups: [{ filters: [mine] }], sorts: ['-score'], properties: ['firstname'], limit: 10, after: '0' });
      expect(names(r)).toEqual(['Erin', 'Dave', 'Carol', 'Bob', 'Alice']);
    });

    it('should sort when sorts are {propertyName, direction} objects as the docs send them', async () => {
      const sorts = [{ propertyName: 'company', direction: 'DESCENDING' }, { propertyName: 'firstname', direction: 'ASCENDING' }];
      const r = await search({ filterGroups: [{ filters: [mine] }], sorts, properties: ['firstname'], limit: 10, after: '0' });
      expect(names(r)).toEqual(['Dave', 'Carol', 'Erin', 'Bob', 'Alice']);
    });

    it('should return the default properties when no property list is given', async () => {
      const r = await search({ filterGroups: [{ filters: [mine] }], sorts: ['firstname'], limit: 1, after: '0' });
      expect(Object.keys(r.results[0].properties).sort()).toEqual(['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname']);
    });

    it('should page with limit and paging.next.after when the first after is the number 0', async () => {
      const seen: string[] = [];
      let after: unknown = 0;
      for (let i = 0; i < 10 && after !== undefined; i++) {
        const r = await search({ filterGroups: [{ filters: [mine] }], sorts: ['firstname'], properties: ['firstname'], limit: 2, after });
        expect(r.total).toBe(5);
        seen.push(...names(r).map(String));
        after = r.paging?.next?.after;
        if (after !== undefined) expect(typeof after).toBe('string');
      }
      expect(seen).toEqual(['Alice', 'Bob', 'Carol', 'Dave', 'Erin']);
    });

    it('should surface 400 VALIDATION_ERROR naming the filter when an operator is unknown', async () => {
      const err = await failure(
        search({ filterGroups: [{ filters: [{ propertyName: 'city', operator: 'LIKE', value: 'B' }] }], sorts: [], properties: [], limit: 10, after: '0' }),
      );
      expect(err.code, show()).toBe(400);
      expect(err.body.category).toBe('VALIDATION_ERROR');
      expect(err.body.errors?.map((e) => e.in)).toContain('filterGroups[0].filters[0].operator');
    });

    it('should surface 400 VALIDATION_ERROR when limit is past 200', async () => {
      const err = await failure(search({ filterGroups: [], sorts: [], properties: [], limit: 201, after: '0' }));
      expect(err.code, show()).toBe(400);
      expect(err.body.errors?.map((e) => e.in)).toContain('limit');
    });
  });
});
