import { describe, expect, it } from 'vitest';
import { AssociationSpecAssociationCategoryEnum as Category } from '@hubspot/api-client/lib/codegen/crm/associations/v4/index.js';
import { AssociationSpecAssociationCategoryEnum as MeetingCategory } from '@hubspot/api-client/lib/codegen/crm/objects/meetings/index.js';
import { dialectCases } from '../support/databases.js';
import { call, failure, hubspot, serveOfficialClient, show } from './client.js';

/**
 * CRM associations v4 (issue #13) through @hubspot/api-client@13.5.0: crm.associations.v4.basicApi
 * (create with labels, createDefault, getPage, archive) and batchApi (create, createDefault,
 * getPage, archive, archiveLabels) for contact ↔ company and contact ↔ meeting, with
 * `associatedcompanyid` and auto-association by email domain seen through the contacts API.
 */

const HUBSPOT = Category.HubspotDefined;
const PRIMARY = 1;
const CONTACT_TO_COMPANY = 279;
const COMPANY_TO_CONTACT = 280;
let n = 0;
const uniq = (tag: string) => `${tag}-${++n}`;

describe.each(dialectCases)('official HubSpot client: associations v4 ($dialect)', ({ create, skip }) => {
  const suite = serveOfficialClient({ create, skip });

  const v4 = () => suite.hs.crm.associations.v4;
  const company = async (domain: string) => (await suite.hs.crm.companies.basicApi.create({ properties: { name: domain, domain }, associations: [] })).id;
  const contact = async (email: string) => (await suite.hs.crm.contacts.basicApi.create({ properties: { email }, associations: [] })).id;
  const associatedCompanyId = async (contactId: string) => (await suite.hs.crm.contacts.basicApi.getById(contactId, ['associatedcompanyid'])).properties.associatedcompanyid;

  describe.skipIf(skip)('auto-association by email domain', () => {
    it('should make a new contact primary at the company of its email domain when one exists', async () => {
      const d = `${uniq('auto')}.example`;
      const co = await company(d);
      await company(d); // a second company with the same domain: the oldest is the one picked
      const ct = await contact(`ann@${d.toUpperCase()}`);
      expect(await associatedCompanyId(ct)).toBe(co);
      const read = await suite.hs.crm.contacts.basicApi.getById(ct, ['email'], undefined, ['companies']);
      expect(read.associations?.companies.results).toEqual([
        { id: co, type: 'contact_to_company_unlabeled' },
        { id: co, type: 'contact_to_company' },
      ]);
    });

    it('should associate the contacts already at a domain when a company with that domain is created', async () => {
      const d = `${uniq('later')}.example`;
      const ct = await contact(`bo@${d}`);
      expect(await associatedCompanyId(ct)).toBeNull();
      const co = await company(`https://www.${d}/about`);
      expect(await associatedCompanyId(ct)).toBe(co);
    });

    it('should leave a new contact without a company when the account turns auto-association off', async () => {
      const d = `${uniq('off')}.example`;
      await company(d);
      expect((await call(suite.hs, 'GET', '/seqflow/v1/companies/settings')).body).toEqual({ autoAssociate: true });
      expect((await call(suite.hs, 'PUT', '/seqflow/v1/companies/settings', { body: { autoAssociate: false } })).body).toEqual({ autoAssociate: false });
      try {
        const ct = await contact(`off@${d}`);
        expect(await associatedCompanyId(ct)).toBeNull();
      } finally {
        await call(suite.hs, 'PUT', '/seqflow/v1/companies/settings', { body: { autoAssociate: true } });
      }
      const bad = await call(suite.hs, 'PUT', '/seqflow/v1/companies/settings', { body: { autoAssociate: 'yes' } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].in).toBe('autoAssociate');
    });

    it('should never associate a free-mail address when a company claims that domain', async () => {
      const before = await contact(`${uniq('free')}@gmail.com`);
      await company('gmail.com');
      const after = await contact(`${uniq('free')}@gmail.com`);
      expect(await associatedCompanyId(before)).toBeNull();
      expect(await associatedCompanyId(after)).toBeNull();
    });
  });

  describe.skipIf(skip)('basicApi', () => {
    it('should associate with the Primary label and list both types when create is given typeIds 279 and 1', async () => {
      const co = await company(`${uniq('label')}.example`);
      const ct = await contact(`${uniq('label')}@free-${n}.example`);
      const other = await company(`${uniq('other')}.example`);
      await v4().basicApi.create('contacts', ct, 'companies', other, [{ associationCategory: HUBSPOT, associationTypeId: CONTACT_TO_COMPANY }]);
      expect(await associatedCompanyId(ct)).toBe(other);

      const r = await v4().basicApi.create('contacts', ct, 'companies', co, [
        { associationCategory: HUBSPOT, associationTypeId: CONTACT_TO_COMPANY },
        { associationCategory: HUBSPOT, associationTypeId: PRIMARY },
      ]);
      expect(r).toMatchObject({ fromObjectTypeId: '0-1', toObjectTypeId: '0-2', labels: ['Primary'] });
      expect(String(r.fromObjectId)).toBe(ct);
      expect(String(r.toObjectId)).toBe(co);
      expect(await associatedCompanyId(ct)).toBe(co);

      const page = await v4().basicApi.getPage('contacts', ct, 'companies');
      const byId = Object.fromEntries(page.results.map((a) => [String(a.toObjectId), a.associationTypes.map((t) => [t.typeId, t.label ?? null])]));
      expect(byId).toEqual({
        [other]: [[CONTACT_TO_COMPANY, null]],
        [co]: [
          [CONTACT_TO_COMPANY, null],
          [PRIMARY, 'Primary'],
        ],
      });
      const back = await v4().basicApi.getPage('companies', co, 'contacts');
      expect(back.results.map((a) => [String(a.toObjectId), a.associationTypes.map((t) => t.typeId).sort()])).toEqual([[ct, [2, COMPANY_TO_CONTACT]]]);
    });

    it('should page associations with after and limit when a company has many contacts', async () => {
      const co = await company(`${uniq('many')}.example`);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const ct = await contact(`${uniq('m')}@elsewhere-${n}.example`);
        await v4().basicApi.createDefault('companies', co, 'contacts', ct);
        ids.push(ct);
      }
      const first = await v4().basicApi.getPage('companies', co, 'contacts', undefined, 2);
      expect(first.results.map((a) => String(a.toObjectId))).toEqual(ids.slice(0, 2));
      const rest = await v4().basicApi.getPage('companies', co, 'contacts', first.paging!.next!.after, 2);
      expect(rest.results.map((a) => String(a.toObjectId))).toEqual(ids.slice(2));
      expect(rest.paging).toBeUndefined();
    });

    it('should report both unlabeled directions when createDefault associates a contact and a company', async () => {
      const co = await company(`${uniq('default')}.example`);
      const ct = await contact(`${uniq('d')}@nowhere-${n}.example`);
      const r = await v4().basicApi.createDefault('contact', ct, 'company', co);
      expect(r.status).toBe('COMPLETE');
      expect(r.results.map((x) => [x._from.id, x.to.id, x.associationSpec.associationTypeId])).toEqual([
        [ct, co, CONTACT_TO_COMPANY],
        [co, ct, COMPANY_TO_CONTACT],
      ]);
      // The first company of a contact becomes its primary one, as in HubSpot.
      expect(await associatedCompanyId(ct)).toBe(co);
    });

    it('should remove the association and clear associatedcompanyid when archive is called', async () => {
      const d = `${uniq('unlink')}.example`;
      const co = await company(d);
      const ct = await contact(`cy@${d}`);
      expect(await associatedCompanyId(ct)).toBe(co);
      await expect(v4().basicApi.archive('contacts', ct, 'companies', co)).resolves.toBeUndefined();
      expect((await v4().basicApi.getPage('contacts', ct, 'companies')).results).toEqual([]);
      expect(await associatedCompanyId(ct)).toBeNull();
    });

    it('should move the primary company when a client writes associatedcompanyid, and refuse an id naming no company', async () => {
      const first = await company(`${uniq('w1')}.example`);
      const second = await company(`${uniq('w2')}.example`);
      const ct = await contact(`${uniq('w')}@write-${n}.example`);
      await v4().basicApi.createDefault('contacts', ct, 'companies', first);
      const u = await suite.hs.crm.contacts.basicApi.update(ct, { properties: { associatedcompanyid: second } });
      expect(u.properties.associatedcompanyid).toBe(second);
      const page = await v4().basicApi.getPage('contacts', ct, 'companies');
      expect(page.results.map((a) => [String(a.toObjectId), a.associationTypes.some((t) => t.typeId === PRIMARY)])).toEqual([
        [first, false],
        [second, true],
      ]);
      const err = await failure(suite.hs.crm.contacts.basicApi.update(ct, { properties: { associatedcompanyid: '987654321', firstname: 'Kept?' } }));
      expect(err.code, show()).toBe(404);
      expect(err.body.errors?.[0].in).toBe('associatedcompanyid');
      const after = await suite.hs.crm.contacts.basicApi.getById(ct, ['associatedcompanyid', 'firstname']);
      expect(after.properties).toEqual({ associatedcompanyid: second, firstname: null });
    });

    it('should clear associatedcompanyid when the company is archived', async () => {
      const d = `${uniq('gone')}.example`;
      const co = await company(d);
      const ct = await contact(`gone@${d}`);
      expect(await associatedCompanyId(ct)).toBe(co);
      await suite.hs.crm.companies.basicApi.archive(co);
      expect(await associatedCompanyId(ct)).toBeNull();
      expect((await v4().basicApi.getPage('contacts', ct, 'companies')).results).toEqual([]);
    });

    it('should give the primary contact the merged contact’s company when two contacts are merged', async () => {
      const d = `${uniq('merge')}.example`;
      const co = await company(d);
      const merged = await contact(`old@${d}`);
      const primary = await contact(`${uniq('new')}@merge-${n}.example`);
      await suite.hs.crm.contacts.basicApi.merge({ primaryObjectId: primary, objectIdToMerge: merged });
      expect(await associatedCompanyId(primary)).toBe(co);
      const back = await v4().basicApi.getPage('companies', co, 'contacts');
      expect(back.results.map((a) => String(a.toObjectId))).toEqual([primary]);
    });

    it('should list a meeting logged for a contact under the contact-to-meeting type 200', async () => {
      const ct = await contact(`${uniq('meet')}@meet-${n}.example`);
      const m = await suite.hs.crm.objects.meetings.basicApi.create({
        properties: { hs_meeting_title: 'Intro', hs_timestamp: '2026-03-05T15:00:00.000Z' },
        associations: [{ to: { id: ct }, types: [{ associationCategory: MeetingCategory.HubspotDefined, associationTypeId: 200 }] }],
      });
      const page = await v4().basicApi.getPage('contacts', ct, 'meetings');
      expect(page.results.map((a) => [String(a.toObjectId), a.associationTypes.map((t) => t.typeId)])).toEqual([[m.id, [200]]]);
      const back = await v4().basicApi.getPage('meetings', m.id, 'contacts');
      expect(back.results.map((a) => [String(a.toObjectId), a.associationTypes.map((t) => t.typeId)])).toEqual([[ct, [199]]]);
    });
  });

  describe.skipIf(skip)('associations on create', () => {
    it('should associate a contact created with associations to a company (279) and a company created with contacts (280)', async () => {
      const co = await company(`${uniq('oncreate')}.example`);
      const ct = await suite.hs.crm.contacts.basicApi.create({
        properties: { email: `${uniq('oc')}@oncreate-${n}.example` },
        associations: [{ to: { id: co }, types: [{ associationCategory: HUBSPOT, associationTypeId: CONTACT_TO_COMPANY }] }],
      });
      expect(ct.properties.associatedcompanyid).toBe(co);

      const other = await contact(`${uniq('oc2')}@oncreate-${n}.example`);
      const r = await suite.hs.crm.companies.batchApi.create({
        inputs: [{ properties: { name: 'With people' }, associations: [{ to: { id: other }, types: [{ associationCategory: HUBSPOT, associationTypeId: COMPANY_TO_CONTACT }] }] }],
      });
      const created = r.results[0].id;
      const page = await v4().basicApi.getPage('companies', created, 'contacts');
      expect(page.results.map((a) => String(a.toObjectId))).toEqual([other]);
    });

    it('should surface 400 naming the type and write nothing when a create names a type id that is not the object’s', async () => {
      const email = `${uniq('nocreate')}@nocreate-${n}.example`;
      const err = await failure(
        suite.hs.crm.contacts.basicApi.create({ properties: { email }, associations: [{ to: { id: '1' }, types: [{ associationCategory: HUBSPOT, associationTypeId: COMPANY_TO_CONTACT }] }] }),
      );
      expect(err.code, show()).toBe(400);
      expect(err.body.errors?.[0].in).toBe('associations[0].types[0].associationTypeId');
      expect((await failure(suite.hs.crm.contacts.basicApi.getById(email, undefined, undefined, undefined, false, 'email'))).code).toBe(404);
    });
  });

  describe.skipIf(skip)('bad input', () => {
    it('should surface 404 naming toObjectId when the company id names nothing', async () => {
      const ct = await contact(`${uniq('bad')}@bad-${n}.example`);
      const err = await failure(v4().basicApi.create('contacts', ct, 'companies', '987654321', [{ associationCategory: HUBSPOT, associationTypeId: CONTACT_TO_COMPANY }]));
      expect(err.code, show()).toBe(404);
      expect(err.body.category).toBe('OBJECT_NOT_FOUND');
      expect(err.body.errors?.[0].in).toBe('toObjectId');
      expect((await failure(v4().basicApi.getPage('companies', '987654321', 'contacts'))).code).toBe(404);
    });

    it('should surface 400 naming the association type when its id is not one of the pair', async () => {
      const co = await company(`${uniq('type')}.example`);
      const ct = await contact(`${uniq('t')}@type-${n}.example`);
      const err = await failure(v4().basicApi.create('contacts', ct, 'companies', co, [{ associationCategory: HUBSPOT, associationTypeId: COMPANY_TO_CONTACT }]));
      expect(err.code, show()).toBe(400);
      expect(err.body.category).toBe('VALIDATION_ERROR');
      expect(err.body.errors?.[0]).toMatchObject({ in: 'associationSpec[0].associationTypeId', code: 'INVALID_ASSOCIATION_TYPE' });
      // Nothing was written.
      expect((await v4().basicApi.getPage('contacts', ct, 'companies')).results).toEqual([]);
    });

    it('should surface 400 naming toObjectType when the object type is not one Seqflow holds', async () => {
      const ct = await contact(`${uniq('deal')}@deal-${n}.example`);
      const err = await failure(v4().basicApi.getPage('contacts', ct, 'deals'));
      expect(err.code, show()).toBe(400);
      expect(err.body.errors?.[0].in).toBe('toObjectType');
    });

    it('should surface 400 when a meeting would be moved to another contact', async () => {
      const a = await contact(`${uniq('ma')}@mv-${n}.example`);
      const b = await contact(`${uniq('mb')}@mv-${n}.example`);
      const m = await suite.hs.crm.objects.meetings.basicApi.create({
        properties: { hs_meeting_title: 'Fixed', hs_timestamp: '2026-03-05T15:00:00.000Z' },
        associations: [{ to: { id: a }, types: [{ associationCategory: MeetingCategory.HubspotDefined, associationTypeId: 200 }] }],
      });
      const err = await failure(v4().basicApi.createDefault('contacts', b, 'meetings', m.id));
      expect(err.code, show()).toBe(400);
      expect(err.body.errors?.[0].in).toBe('fromObjectId');
    });
  });

  describe.skipIf(skip)('batchApi', () => {
    it('should answer 201 with the labels of each pair when batch create succeeds', async () => {
      const co = await company(`${uniq('bc')}.example`);
      const cts = [await contact(`${uniq('b1')}@bc-${n}.example`), await contact(`${uniq('b2')}@bc-${n}.example`)];
      const r = await v4().batchApi.create('companies', 'contacts', {
        inputs: cts.map((id) => ({ _from: { id: co }, to: { id }, types: [{ associationCategory: HUBSPOT, associationTypeId: 2 }] })),
      });
      expect(r.status).toBe('COMPLETE');
      expect(r.results.map((x) => [String(x.fromObjectId), String(x.toObjectId), x.labels])).toEqual(cts.map((id) => [co, id, ['Primary']]));
      for (const id of cts) expect(await associatedCompanyId(id)).toBe(co);
    });

    it('should answer 207 listing the failed pair when batch create names an unknown contact', async () => {
      const co = await company(`${uniq('b207')}.example`);
      const ct = await contact(`${uniq('ok')}@b207-${n}.example`);
      const r = await v4().batchApi.create('companies', 'contacts', {
        inputs: [ct, '987654321'].map((id) => ({ _from: { id: co }, to: { id }, types: [{ associationCategory: HUBSPOT, associationTypeId: COMPANY_TO_CONTACT }] })),
      });
      expect(r.results.map((x) => String(x.toObjectId))).toEqual([ct]);
      expect('errors' in r && r.errors?.[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: [co, '987654321'] } });
    });

    it('should read each input with its associations and answer 207 for an id naming nothing when batch getPage is called', async () => {
      const co = await company(`${uniq('br')}.example`);
      const ct = await contact(`${uniq('r')}@br-${n}.example`);
      const r1 = await v4().batchApi.createDefault('contacts', 'companies', { inputs: [{ _from: { id: ct }, to: { id: co } }] });
      expect(r1.results.map((x) => x.associationSpec.associationTypeId)).toEqual([CONTACT_TO_COMPANY, COMPANY_TO_CONTACT]);
      const r = await v4().batchApi.getPage('contacts', 'companies', { inputs: [{ id: ct }, { id: '987654321' }] });
      expect(r.results.map((x) => [x._from.id, x.to.map((t) => String(t.toObjectId))])).toEqual([[ct, [co]]]);
      expect(r.results[0].to[0].associationTypes.map((t) => t.typeId).sort((a, b) => a - b)).toEqual([PRIMARY, CONTACT_TO_COMPANY]);
      expect('errors' in r && r.errors?.[0].context).toEqual({ ids: ['987654321'] });
    });

    it('should drop only the Primary label with archiveLabels and the whole pair with archive', async () => {
      const co = await company(`${uniq('ba')}.example`);
      const ct = await contact(`${uniq('a')}@ba-${n}.example`);
      await v4().basicApi.create('contacts', ct, 'companies', co, [{ associationCategory: HUBSPOT, associationTypeId: PRIMARY }]);
      expect(await associatedCompanyId(ct)).toBe(co);

      await v4().batchApi.archiveLabels('contacts', 'companies', { inputs: [{ _from: { id: ct }, to: { id: co }, types: [{ associationCategory: HUBSPOT, associationTypeId: PRIMARY }] }] });
      const after = await v4().basicApi.getPage('contacts', ct, 'companies');
      expect(after.results.map((a) => a.associationTypes.map((t) => t.typeId))).toEqual([[CONTACT_TO_COMPANY]]);
      expect(await associatedCompanyId(ct)).toBeNull();

      await expect(v4().batchApi.archive('contacts', 'companies', { inputs: [{ _from: { id: ct }, to: [{ id: co }] }] })).resolves.toBeUndefined();
      expect((await v4().basicApi.getPage('contacts', ct, 'companies')).results).toEqual([]);
    });
  });
});
