import { describe, expect, it } from 'vitest';
import type { Client } from '@hubspot/api-client';
import { dialectCases } from '../support/databases.js';
import { failure, hubspot, serveOfficialClient, show } from './client.js';

/**
 * CRM companies v3 (issue #13) driven only through @hubspot/api-client@13.5.0:
 * crm.companies.basicApi, batchApi and searchApi, every response checked against our contracts.
 * Each test uses domains of its own.
 */

let n = 0;
const domain = (tag: string) => `${tag}-${++n}.example`;

describe.each(dialectCases)('official HubSpot client: companies ($dialect)', ({ create, skip }) => {
  const suite = serveOfficialClient({ create, skip });

  type SearchRequest = Parameters<Client['crm']['companies']['searchApi']['doSearch']>[0];
  const search = (req: Record<string, unknown>) => suite.hs.crm.companies.searchApi.doSearch(req as unknown as SearchRequest);
  const newCompany = (properties: Record<string, string>) => suite.hs.crm.companies.basicApi.create({ properties, associations: [] });

  describe.skipIf(skip)('basicApi', () => {
    it('should return 201 with the default properties and those set when a company is created', async () => {
      const d = domain('create');
      const c = await newCompany({ name: 'Acme', domain: d, industry: 'COMPUTER_SOFTWARE', city: 'Berlin', numberofemployees: '40' });
      expect(c.id).toMatch(/^\d+$/);
      expect(c.properties).toMatchObject({ name: 'Acme', domain: d, industry: 'COMPUTER_SOFTWARE', city: 'Berlin', numberofemployees: '40', hs_object_id: c.id });
      expect(c.properties.createdate).toBe(c.createdAt.toISOString());
      expect(c.properties.hs_lastmodifieddate).toBe(c.updatedAt.toISOString());
      expect(c.archived).toBe(false);
    });

    it('should return the requested properties, null for the unset ones, when getById is given a list', async () => {
      const c = await newCompany({ name: 'Globex', domain: domain('get'), country: 'DE' });
      const got = await suite.hs.crm.companies.basicApi.getById(c.id, ['name', 'country', 'phone']);
      expect(got.id).toBe(c.id);
      expect(got.properties).toEqual({ name: 'Globex', country: 'DE', phone: null });
    });

    it('should surface 404 OBJECT_NOT_FOUND when the company id names nothing', async () => {
      const err = await failure(suite.hs.crm.companies.basicApi.getById('987654321'));
      expect(err.code, show()).toBe(404);
      expect(err.body.category).toBe('OBJECT_NOT_FOUND');
      expect(err.body.message).toBe('Company not found. Company 987654321 does not exist.');
    });

    it('should change only the patched properties when a company is updated', async () => {
      const c = await newCompany({ name: 'Initech', domain: domain('update'), city: 'Austin' });
      await suite.h.advance(1000);
      const u = await suite.hs.crm.companies.basicApi.update(c.id, { properties: { city: 'Dallas', phone: '+1 555 0100' } });
      expect(u.properties).toMatchObject({ name: 'Initech', city: 'Dallas', phone: '+1 555 0100' });
      expect(u.updatedAt.getTime()).toBeGreaterThan(c.updatedAt.getTime());
      const err = await failure(suite.hs.crm.companies.basicApi.update('987654321', { properties: { city: 'x' } }));
      expect(err.code, show()).toBe(404);
    });

    it('should surface 400 naming properties when a client writes a property Seqflow maintains', async () => {
      const err = await failure(newCompany({ name: 'X', hs_object_id: '5' }));
      expect(err.code, show()).toBe(400);
      expect(err.body.category).toBe('VALIDATION_ERROR');
      expect(err.body.errors?.map((e) => e.in)).toContain('properties');
    });

    it('should walk every company exactly once when getPage follows paging.next.after', async () => {
      const made = new Set<string>();
      for (let i = 0; i < 3; i++) made.add((await newCompany({ name: `Page ${i}`, domain: domain('page') })).id);
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = await suite.hs.crm.companies.basicApi.getPage(2, after, ['name']);
        expect(page.results.length).toBeLessThanOrEqual(2);
        seen.push(...page.results.map((r) => r.id));
        after = page.paging?.next?.after;
      } while (after);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of made) expect(seen).toContain(id);
    });

    it('should answer 204 and then 404 when a company is archived', async () => {
      const c = await newCompany({ name: 'Gone', domain: domain('archive') });
      await expect(suite.hs.crm.companies.basicApi.archive(c.id)).resolves.toBeUndefined();
      expect((await failure(suite.hs.crm.companies.basicApi.getById(c.id))).code).toBe(404);
      const archived = await suite.hs.crm.companies.basicApi.getById(c.id, ['name'], undefined, undefined, true);
      expect(archived.archived).toBe(true);
      expect((await failure(suite.hs.crm.companies.basicApi.archive(c.id))).code).toBe(404);
    });
  });

  describe.skipIf(skip)('batchApi', () => {
    it('should answer 201 with every company when batch create succeeds', async () => {
      const ds = [domain('bc'), domain('bc')];
      const r = await suite.hs.crm.companies.batchApi.create({ inputs: ds.map((d) => ({ properties: { name: d, domain: d }, associations: [] })) });
      expect(r.status).toBe('COMPLETE');
      expect(r.results.map((c) => c.properties.domain).sort()).toEqual([...ds].sort());
    });

    it('should answer 207 naming the missing ids when batch read is given an unknown id', async () => {
      const a = await newCompany({ name: 'Read A', domain: domain('br') });
      const r = await suite.hs.crm.companies.batchApi.read({ inputs: [{ id: a.id }, { id: '987654321' }], properties: ['name'], propertiesWithHistory: [] });
      expect(r.results.map((c) => c.properties)).toEqual([{ name: 'Read A' }]);
      expect('errors' in r && r.errors?.[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: ['987654321'] } });
    });

    it('should update the found companies and list the unknown id when batch update has one', async () => {
      const a = await newCompany({ name: 'Upd', domain: domain('bu') });
      const r = await suite.hs.crm.companies.batchApi.update({ inputs: [{ id: a.id, properties: { industry: 'RETAIL' } }, { id: '987654321', properties: { industry: 'x' } }] });
      expect(r.results.map((c) => [c.id, c.properties.industry])).toEqual([[a.id, 'RETAIL']]);
      expect('errors' in r && r.errors?.[0].context).toEqual({ ids: ['987654321'] });
      expect((await suite.hs.crm.companies.basicApi.getById(a.id, ['industry'])).properties.industry).toBe('RETAIL');
    });

    it('should answer 204 and archive each company when batch archive succeeds', async () => {
      const a = await newCompany({ name: 'BA1', domain: domain('ba') });
      const b = await newCompany({ name: 'BA2', domain: domain('ba') });
      await expect(suite.hs.crm.companies.batchApi.archive({ inputs: [{ id: a.id }, { id: b.id }, { id: '987654321' }] })).resolves.toBeUndefined();
      for (const id of [a.id, b.id]) expect((await failure(suite.hs.crm.companies.basicApi.getById(id))).code).toBe(404);
    });
  });

  describe.skipIf(skip)('searchApi.doSearch', () => {
    it('should find companies by domain and sort them by name when filtered and sorted', async () => {
      const d = domain('search');
      await newCompany({ name: 'Zeta', domain: d, industry: 'SEARCH' });
      await newCompany({ name: 'Alpha', domain: d, industry: 'SEARCH' });
      const r = await search({ filterGroups: [{ filters: [{ propertyName: 'domain', operator: 'EQ', value: d }] }], sorts: ['name'], properties: ['name', 'industry'], limit: 10, after: 0 });
      expect(r.total).toBe(2);
      expect(r.results.map((c) => c.properties.name)).toEqual(['Alpha', 'Zeta']);
      expect(r.results[0].properties.industry).toBe('SEARCH');
    });

    it('should compare numberofemployees as numbers and refuse a non-number when companies are searched and written', async () => {
      const d = domain('employees');
      await newCompany({ name: 'Nine', domain: d, numberofemployees: '9' });
      const big = await newCompany({ name: 'Forty', domain: d, numberofemployees: '40' });
      const r = await search({ filterGroups: [{ filters: [{ propertyName: 'domain', operator: 'EQ', value: d }, { propertyName: 'numberofemployees', operator: 'GT', value: '10' }] }], limit: 10 });
      expect(r.results.map((c) => c.id)).toEqual([big.id]);
      const e = await failure(newCompany({ name: 'Many', domain: d, numberofemployees: 'lots' }));
      expect(e.code, show()).toBe(400);
      expect(e.body.errors?.map((x) => [x.in, x.code])).toEqual([['numberofemployees', 'INVALID_NUMBER']]);
    });

    it('should find a company by a word of its name when searched with query', async () => {
      const d = domain('query');
      const c = await newCompany({ name: 'Quasarwidget Industries', domain: d });
      const r = await search({ query: 'quasarwidget', limit: 5 });
      expect(r.results.map((x) => x.id)).toEqual([c.id]);
      expect(r.results[0].properties).toMatchObject({ name: 'Quasarwidget Industries', domain: d });
    });

    it('should surface 400 naming the filter when its operator is unknown', async () => {
      const err = await failure(search({ filterGroups: [{ filters: [{ propertyName: 'name', operator: 'LIKE', value: 'x' }] }] }));
      expect(err.code, show()).toBe(400);
      expect(err.body.errors?.[0].in).toMatch(/filterGroups\[0\]\.filters\[0\]/);
    });
  });
});
