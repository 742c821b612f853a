import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { insertContactsBulk } from '../../src/store/contacts.js';
import { T0, seedContact, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';

/** CRM contacts v3 as hubspot-api.md §3.3 describes it: exact status codes and shapes. One server per dialect; names are unique per case. */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const BASE = '/crm/v3/objects/contacts';

let counter = 0;
const uid = (prefix: string) => `${prefix}${++counter}`;

describe.each(dialectCases)('CRM contacts v3 on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeAll(async () => {
    if (!skip) h = await startHarness(await create());
  }, 120_000);
  afterAll(async () => h?.close());
  beforeEach((ctx) => {
    if (skip) ctx.skip();
  });

  const email = (p = 'c') => `${uid(p)}@example.com`;
  const newContact = (properties: Record<string, string> = {}) => seedContact(h, { email: email(), ...properties });
  const get = (id: string, qs = '') => h.api('GET', `${BASE}/${id}${qs}`);
  const enrollmentsOf = async (contactId: string) => (await h.api('GET', `/seqflow/v1/enrollments?contactId=${contactId}`)).body.results as any[];
  const enrolled = async () => {
    const rep = await seedSender(h, { email: `${uid('rep')}@acme.test` });
    const seq = await seedSequence(h, rep.userId);
    return async (contactId: string) => {
      const r = await h.api('POST', `/automation/v4/sequences/enrollments?userId=${rep.userId}`, { contactId, sequenceId: seq, senderEmail: rep.email });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    };
  };

  describe('single objects', () => {
    it('should answer 201 with string properties and maintained ones when a contact is created', async () => {
      // Numbers and booleans are stringified; the properties must exist, as in HubSpot.
      for (const [name, type, fieldType] of [['employees', 'number', 'number'], ['vip', 'bool', 'booleancheckbox']]) {
        const def = await h.api('POST', '/crm/v3/properties/contacts', { name, label: name, type, fieldType, groupName: 'contactinformation', options: [] });
        expect(def.status, JSON.stringify(def.body)).toBe(201);
      }
      const r = await h.api('POST', BASE, { properties: { email: email(), firstname: 'Ada', employees: 12, vip: true } });
      expect(r.status).toBe(201);
      expect(String(r.headers['content-type'])).toMatch(/^application\/json/);
      expect(r.body).toMatchObject({ id: expect.any(String), archived: false, createdAt: expect.stringMatching(ISO), updatedAt: expect.stringMatching(ISO) });
      expect(r.body.properties).toMatchObject({ firstname: 'Ada', employees: '12', vip: 'true', hs_object_id: r.body.id, createdate: expect.stringMatching(ISO), lastmodifieddate: expect.stringMatching(ISO) });
      for (const v of Object.values(r.body.properties)) expect(typeof v).toBe('string');
    });

    it('should return the history newest first with sourceType API when a property was updated twice', async () => {
      const id = await newContact({ firstname: 'One' });
      await h.advance(1000);
      expect((await h.api('PATCH', `${BASE}/${id}`, { properties: { firstname: 'Two' } })).status).toBe(200);
      await h.advance(1000);
      expect((await h.api('PATCH', `${BASE}/${id}`, { properties: { firstname: 'Three' } })).status).toBe(200);
      const r = await get(id, '?propertiesWithHistory=firstname&propertiesWithHistory=lastname&properties=firstname,email');
      expect(r.status).toBe(200);
      expect(Object.keys(r.body.properties).sort()).toEqual(['email', 'firstname']);
      const history = r.body.propertiesWithHistory.firstname;
      expect(history.map((e: any) => e.value)).toEqual(['Three', 'Two', 'One']);
      expect(history[0]).toEqual({ value: 'Three', timestamp: expect.stringMatching(ISO), sourceType: 'API' });
      expect(Date.parse(history[0].timestamp)).toBeGreaterThan(Date.parse(history[1].timestamp));
      expect(r.body.propertiesWithHistory.lastname).toEqual([]);
      // comma-joined, as @hubspot/sdk sends it
      const sdk = await get(id, '?propertiesWithHistory=firstname,email');
      expect(Object.keys(sdk.body.propertiesWithHistory).sort()).toEqual(['email', 'firstname']);
    });

    it('should find and update the contact by email when idProperty=email is given', async () => {
      const address = email('byemail');
      const id = await seedContact(h, { email: address, firstname: 'Em' });
      const r = await get(encodeURIComponent(address.toUpperCase()), '?idProperty=email');
      expect(r.status).toBe(200);
      expect(r.body.id).toBe(id);
      const u = await h.api('PATCH', `${BASE}/${encodeURIComponent(address)}?idProperty=email`, { properties: { firstname: 'Emma' } });
      expect(u.status).toBe(200);
      expect(u.body).toMatchObject({ id, properties: { firstname: 'Emma' } });
    });

    it('should read an archived contact only with archived=true when it was archived', async () => {
      const id = await newContact({ firstname: 'Gone' });
      expect((await h.api('DELETE', `${BASE}/${id}`)).status).toBe(204);
      expect((await get(id)).status).toBe(404);
      const r = await get(id, '?archived=true');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id, archived: true, archivedAt: expect.stringMatching(ISO), properties: { firstname: 'Gone' } });
      const page = await h.api('GET', `${BASE}?archived=true&limit=100`);
      expect(page.status).toBe(200);
      expect(page.body.results.every((c: any) => c.archived === true)).toBe(true);
      expect(page.body.results.map((c: any) => c.id)).toContain(id);
      const live = await h.api('GET', `${BASE}?limit=100`);
      expect(live.body.results.map((c: any) => c.id)).not.toContain(id);
      expect((await get(id, '?archived=maybe')).status).toBe(400);
    });

    it('should page getPage with propertiesWithHistory when asked', async () => {
      await newContact({ firstname: 'Paged' });
      const r = await h.api('GET', `${BASE}?limit=2&properties=firstname&propertiesWithHistory=email`);
      expect(r.status).toBe(200);
      expect(r.body.results).toHaveLength(2);
      for (const c of r.body.results) expect(c.propertiesWithHistory.email[0]).toMatchObject({ sourceType: 'API' });
      expect(r.body.paging.next.after).toEqual(expect.any(String));
    });
  });

  describe('batch', () => {
    it('should answer 201 COMPLETE with every contact when a batch create succeeds', async () => {
      const inputs = [{ properties: { email: email('b'), firstname: 'B1' } }, { properties: { email: email('b'), firstname: 'B2' } }];
      const r = await h.api('POST', `${BASE}/batch/create`, { inputs });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ status: 'COMPLETE', startedAt: expect.stringMatching(ISO), completedAt: expect.stringMatching(ISO) });
      expect(r.body.numErrors).toBeUndefined();
      expect(r.body.results.map((c: any) => c.properties.firstname).sort()).toEqual(['B1', 'B2']);
    });

    it('should answer 207 creating the others when one input of a batch create has a duplicate email', async () => {
      const taken = email('taken');
      const existing = await seedContact(h, { email: taken });
      const fresh = email('fresh');
      const r = await h.api('POST', `${BASE}/batch/create`, { inputs: [{ properties: { email: fresh } }, { properties: { email: taken.toUpperCase() } }] });
      expect(r.status).toBe(207);
      expect(r.body.numErrors).toBe(1);
      expect(r.body.errors[0]).toMatchObject({ status: 'error', category: 'CONFLICT', message: `Contact already exists. Existing ID: ${existing}`, context: { ids: [existing] } });
      expect(r.body.results).toHaveLength(1);
      expect((await get(encodeURIComponent(fresh), '?idProperty=email')).status).toBe(200);
    });

    it('should answer 400 and create nothing when a batch has 101 inputs', async () => {
      const prefix = uid('over');
      const inputs = Array.from({ length: 101 }, (_, i) => ({ properties: { email: `${prefix}-${i}@example.com` } }));
      const r = await h.api('POST', `${BASE}/batch/create`, { inputs });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
      expect((await get(encodeURIComponent(`${prefix}-0@example.com`), '?idProperty=email')).status).toBe(404);
    });

    it('should answer 200 or 207 listing missing ids when contacts are read in a batch', async () => {
      const a = await newContact({ firstname: 'A' });
      const b = await newContact({ firstname: 'B' });
      const ok = await h.api('POST', `${BASE}/batch/read`, { inputs: [{ id: a }, { id: b }], properties: ['firstname'], propertiesWithHistory: ['firstname'] });
      expect(ok.status).toBe(200);
      expect(ok.body.results.map((c: any) => c.properties)).toEqual([{ firstname: 'A' }, { firstname: 'B' }]);
      expect(ok.body.results[0].propertiesWithHistory.firstname).toEqual([expect.objectContaining({ value: 'A' })]);
      const partial = await h.api('POST', `${BASE}/batch/read`, { inputs: [{ id: a }, { id: '987654321' }, { id: 'nope' }], properties: [] });
      expect(partial.status).toBe(207);
      expect(partial.body.errors).toEqual([expect.objectContaining({ status: 'error', category: 'OBJECT_NOT_FOUND', context: { ids: ['987654321', 'nope'] } })]);
      const byEmail = await h.api('POST', `${BASE}/batch/read`, { idProperty: 'email', inputs: [{ id: (await get(a)).body.properties.email }], properties: ['firstname'] });
      expect(byEmail.status).toBe(200);
      expect(byEmail.body.results[0].id).toBe(a);
    });

    it('should answer 400 when a batch read with propertiesWithHistory has 51 inputs', async () => {
      const inputs = Array.from({ length: 51 }, (_, i) => ({ id: String(i + 1) }));
      const r = await h.api('POST', `${BASE}/batch/read`, { inputs, properties: [], propertiesWithHistory: ['email'] });
      expect(r.status).toBe(400);
      expect(r.body.message).toBe('The maximum number of inputs supported in a batch request for property histories is 50');
    });

    it('should answer 207 updating the others when a batch update names an unknown id', async () => {
      const a = await newContact({ firstname: 'Old' });
      const r = await h.api('POST', `${BASE}/batch/update`, { inputs: [{ id: a, properties: { firstname: 'New' } }, { id: '987654321', properties: { firstname: 'X' } }] });
      expect(r.status).toBe(207);
      expect(r.body).toMatchObject({ status: 'COMPLETE', numErrors: 1 });
      expect(r.body.errors[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: ['987654321'] } });
      expect(r.body.results).toEqual([expect.objectContaining({ id: a, properties: expect.objectContaining({ firstname: 'New' }) })]);
      expect((await get(a)).body.properties.firstname).toBe('New');
      const all = await h.api('POST', `${BASE}/batch/update`, { inputs: [{ id: a, properties: { lastname: 'Ok' } }] });
      expect(all.status).toBe(200);
    });

    it('should answer 200 with new true and false when contacts are upserted by email', async () => {
      const existing = email('up');
      const id = await seedContact(h, { email: existing, firstname: 'Before' });
      const fresh = email('up');
      const r = await h.api('POST', `${BASE}/batch/upsert`, {
        inputs: [
          { id: existing.toUpperCase(), idProperty: 'email', properties: { firstname: 'After' } },
          { id: fresh, idProperty: 'email', properties: { firstname: 'Brand' } },
        ],
      });
      expect(r.status).toBe(200);
      const byEmail = Object.fromEntries(r.body.results.map((c: any) => [c.properties.email.toLowerCase(), c]));
      expect(byEmail[existing]).toMatchObject({ id, new: false, properties: { firstname: 'After' } });
      expect(byEmail[fresh]).toMatchObject({ new: true, properties: { firstname: 'Brand' } });
      const bad = await h.api('POST', `${BASE}/batch/upsert`, { inputs: [{ id: fresh, idProperty: 'hs_object_id', properties: {} }] });
      expect(bad.status).toBe(400);
    });

    it('should answer 204 and archive the contacts, skipping unknown ids, when a batch is archived', async () => {
      const a = await newContact();
      const b = await newContact();
      const r = await h.api('POST', `${BASE}/batch/archive`, { inputs: [{ id: a }, { id: b }, { id: '987654321' }] });
      expect(r.status).toBe(204);
      expect(r.body).toBeUndefined();
      expect((await get(a)).status).toBe(404);
      expect((await get(b, '?archived=true')).status).toBe(200);
    });
  });

  describe('merge and GDPR delete', () => {
    it('should answer 200 with primary values winning and gaps filled when two contacts are merged', async () => {
      const enroll = await enrolled();
      const primary = await newContact({ firstname: 'Primary', company: '' });
      const mergedEmail = email('merged');
      const merged = await seedContact(h, { email: mergedEmail, firstname: 'Merged', company: 'Acme', jobtitle: 'CTO' });
      await enroll(merged);
      const r = await h.api('POST', `${BASE}/merge`, { primaryObjectId: primary, objectIdToMerge: merged });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: primary, properties: { firstname: 'Primary', company: 'Acme', jobtitle: 'CTO' } });
      expect((await get(merged)).status).toBe(404);
      expect((await get(merged, '?archived=true')).body.archived).toBe(true);
      expect(await enrollmentsOf(merged)).toMatchObject([{ state: 'UNENROLLED', reason: 'CONTACT_DELETED' }]);
      const history = (await get(primary, '?propertiesWithHistory=company')).body.propertiesWithHistory.company;
      expect(history[0]).toMatchObject({ value: 'Acme', sourceType: 'MERGE' });
      expect((await h.api('POST', `${BASE}/merge`, { primaryObjectId: primary, objectIdToMerge: primary })).status).toBe(400);
      expect((await h.api('POST', `${BASE}/merge`, { primaryObjectId: primary, objectIdToMerge: '987654321' })).status).toBe(404);
    });

    it('should answer 204, purge the data and end the enrollment when a contact is GDPR-deleted', async () => {
      const enroll = await enrolled();
      const address = email('gdpr');
      const id = await seedContact(h, { email: address, firstname: 'Private' });
      await h.api('PATCH', `${BASE}/${id}`, { properties: { phone: '+1 555 0100' } });
      await enroll(id);
      const r = await h.api('POST', `${BASE}/gdpr-delete`, { objectId: address, idProperty: 'email' });
      expect(r.status).toBe(204);
      expect((await get(id)).status).toBe(404);
      expect((await get(id, '?archived=true')).status).toBe(404);
      expect((await get(encodeURIComponent(address), '?idProperty=email')).status).toBe(404);
      expect(await enrollmentsOf(id)).toMatchObject([{ state: 'UNENROLLED', reason: 'CONTACT_DELETED' }]);
      const db = h.sf.deps.db.kysely;
      const row = await db.selectFrom('contacts').selectAll().where('id', '=', Number(id)).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ email: null, email_key: null, properties: '{}' });
      expect(await db.selectFrom('contact_property_history').selectAll().where('contact_id', '=', Number(id)).execute()).toEqual([]);
      const events = await db.selectFrom('events').selectAll().where('contact_id', '=', Number(id)).execute();
      expect(events.length).toBeGreaterThan(0);
      for (const e of events) expect(e.data).not.toMatch(/Private|555|gdpr/);
      expect((await h.api('POST', `${BASE}/gdpr-delete`, { objectId: id })).status).toBe(404);
      // the address is free again
      expect((await h.api('POST', BASE, { properties: { email: address } })).status).toBe(201);
    });
  });

  describe('search', () => {
    const search = (body: unknown) => h.api('POST', `${BASE}/search`, body);

    it('should page through every match with after when results span pages', async () => {
      const company = uid('pager');
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push(await newContact({ company, firstname: `P${i}` }));
      const filterGroups = [{ filters: [{ propertyName: 'company', operator: 'EQ', value: company }] }];
      const seen: string[] = [];
      let after: string | number | undefined = 0;
      let pages = 0;
      while (after !== undefined) {
        const r = await search({ filterGroups, limit: 2, after, sorts: [{ propertyName: 'firstname', direction: 'DESCENDING' }] });
        expect(r.status).toBe(200);
        expect(r.body.total).toBe(5);
        seen.push(...r.body.results.map((c: any) => c.id));
        after = r.body.paging?.next.after;
        pages++;
      }
      expect(pages).toBe(3);
      expect(seen).toEqual([...ids].reverse());
    });

    it('should return the default properties unless properties are given when searching', async () => {
      const id = await newContact({ firstname: 'Def', company: 'Hidden' });
      const r = await search({ filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'EQ', value: id }] }] });
      expect(r.body.total).toBe(1);
      expect(Object.keys(r.body.results[0].properties).sort()).toEqual(['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname']);
      expect(r.body.results[0].properties.lastname).toBeNull();
      const only = await search({ filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'EQ', value: id }] }], properties: ['company'] });
      expect(only.body.results[0].properties).toEqual({ company: 'Hidden' });
    });

    it('should find by email through the index, case-insensitively, when filtering on EQ email', async () => {
      const address = email('Idx');
      const id = await seedContact(h, { email: address });
      const r = await search({ filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: address.toUpperCase() }] }, { filters: [{ propertyName: 'hs_object_id', operator: 'EQ', value: '987654321' }] }] });
      expect(r.status).toBe(200);
      expect(r.body.total).toBe(1);
      expect(r.body.results[0].id).toBe(id);
    });

    it('should cap paging at 10,000 and report the full total when more contacts match', async () => {
      const db = h.sf.deps.db.kysely;
      const company = uid('bulk');
      const n = 10_050;
      // The store's bulk insert (an import's), which also writes the rows search reads.
      await insertContactsBulk(db, Array.from({ length: n }, (_, i) => ({ email: `${company}-${i}@bulk.example`, company })), T0, 'IMPORT');
      const filterGroups = [{ filters: [{ propertyName: 'company', operator: 'EQ', value: company }] }];
      const started = Date.now();
      const near = await search({ filterGroups, limit: 200, after: '9900' });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(near.status).toBe(200);
      expect(near.body.total).toBe(n);
      expect(near.body.results).toHaveLength(100);
      expect(near.body.paging).toBeUndefined();
      const past = await search({ filterGroups, limit: 10, after: 10_000 });
      expect(past.status).toBe(400);
      expect(past.body).toMatchObject({ category: 'VALIDATION_ERROR', errors: [expect.objectContaining({ in: 'after' })] });
      const unfiltered = await search({ limit: 1 });
      expect(unfiltered.body.total).toBeGreaterThanOrEqual(n);
      expect((await search({ limit: 201 })).status).toBe(400);
    }, 60_000);
  });
});
