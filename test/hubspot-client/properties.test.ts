import { beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@hubspot/api-client';
import { dialectCases } from '../support/databases.js';
import { call, failure, hubspot, seedRep, serveOfficialClient, show } from './client.js';

/**
 * CRM properties v3 driven through @hubspot/api-client@13.5.0: crm.properties.coreApi and
 * groupsApi on contacts and companies, and what a property's type does to contact writes and
 * search. Every response is validated against our contracts after each test.
 */

let n = 0;
const uniq = (tag: string) => `${tag}_${++n}`;
const mail = (tag: string) => `${tag}-${++n}@props.test`;

type PropertyCreate = Parameters<Client['crm']['properties']['coreApi']['create']>[1];
type PropertyUpdate = Parameters<Client['crm']['properties']['coreApi']['update']>[2];

describe.each(dialectCases)('official HubSpot client: properties ($dialect)', ({ create, skip }) => {
  const suite = serveOfficialClient({ create, skip });

  const core = () => suite.hs.crm.properties.coreApi;
  const groups = () => suite.hs.crm.properties.groupsApi;
  /** The body as JS users write it (enum values as plain strings). */
  const newProperty = (objectType: string, body: Record<string, unknown>) =>
    core().create(objectType, { groupName: objectType === 'companies' ? 'companyinformation' : 'contactinformation', ...body } as unknown as PropertyCreate);
  const colors = [
    { label: 'Red', value: 'red', hidden: false, displayOrder: 0 },
    { label: 'Green', value: 'green', hidden: false, displayOrder: 1 },
  ];

  describe.skipIf(skip)('coreApi', () => {
    it('should list built-in contact properties as HubSpot-defined when getAll is called', async () => {
      const all = await core().getAll('contacts');
      const byName = new Map(all.results.map((p) => [p.name, p]));
      for (const name of ['email', 'firstname', 'lastname', 'company', 'phone', 'lifecyclestage', 'hs_email_optout']) {
        expect(byName.get(name)?.hubspotDefined, name).toBe(true);
      }
      expect(byName.get('email')?.modificationMetadata).toMatchObject({ archivable: false, readOnlyDefinition: true, readOnlyValue: false });
      expect(byName.get('hs_sequences_is_enrolled')?.modificationMetadata?.readOnlyValue).toBe(true);
      expect(byName.get('hs_email_optout')).toMatchObject({ type: 'bool', fieldType: 'booleancheckbox' });
      expect(byName.get('lifecyclestage')?.options.map((o) => o.value)).toContain('lead');
    });

    it('should return 201 and the definition when a custom enumeration property is created', async () => {
      const name = uniq('favorite_color');
      const p = await newProperty('contacts', { name, label: 'Favorite color', type: 'enumeration', fieldType: 'select', options: colors });
      expect(p).toMatchObject({ name, label: 'Favorite color', type: 'enumeration', fieldType: 'select', groupName: 'contactinformation', archived: false });
      expect(p.hubspotDefined).toBeUndefined();
      expect(p.modificationMetadata).toMatchObject({ archivable: true, readOnlyDefinition: false, readOnlyValue: false });
      expect(p.options.map((o) => o.value)).toEqual(['red', 'green']);
      expect(p.createdAt).toBeInstanceOf(Date);
      const again = await core().getByName('contacts', name);
      expect(again.label).toBe('Favorite color');
      expect((await core().getAll('contacts')).results.map((r) => r.name)).toContain(name);
    });

    it('should keep contact and company properties apart when both object types are used', async () => {
      const name = uniq('tier');
      await newProperty('companies', { name, label: 'Tier', type: 'number', fieldType: 'number' });
      expect((await core().getByName('companies', name)).type).toBe('number');
      expect((await core().getByName('0-2', name)).name).toBe(name);
      expect((await failure(core().getByName('contacts', name))).code, show()).toBe(404);
      expect((await core().getAll('companies')).results.map((r) => r.name)).toEqual(expect.arrayContaining(['name', 'domain', name]));
    });

    it('should change the label and options when update is called', async () => {
      const name = uniq('stage');
      await newProperty('contacts', { name, label: 'Stage', type: 'enumeration', fieldType: 'radio', options: colors });
      const updated = await core().update('contacts', name, { label: 'Pipeline stage', options: [...colors, { label: 'Blue', value: 'blue', hidden: false }] } as PropertyUpdate);
      expect(updated.label).toBe('Pipeline stage');
      expect(updated.options.map((o) => o.value)).toEqual(['red', 'green', 'blue']);
      expect(updated.options[2].displayOrder).toBe(2);
    });

    it('should answer 204, hide it from getAll and list it with archived=true when a property is archived', async () => {
      const name = uniq('old_field');
      await newProperty('contacts', { name, label: 'Old', type: 'string', fieldType: 'text' });
      await expect(core().archive('contacts', name)).resolves.toBeUndefined();
      expect((await core().getAll('contacts')).results.map((r) => r.name)).not.toContain(name);
      const archived = await core().getAll('contacts', true);
      expect(archived.results.find((r) => r.name === name)).toMatchObject({ archived: true });
      expect((await failure(core().getByName('contacts', name))).code, show()).toBe(404);
      expect((await core().getByName('contacts', name, true)).archivedAt).toBeInstanceOf(Date);
    });

    it('should answer 400 naming fieldType when type and fieldType do not go together', async () => {
      const err = await failure(newProperty('contacts', { name: uniq('bad_pair'), label: 'Bad', type: 'number', fieldType: 'select' }));
      expect(err.code, show()).toBe(400);
      expect(err.body.category).toBe('VALIDATION_ERROR');
      expect(err.body.errors?.map((e) => e.in)).toContain('fieldType');
    });

    it('should answer 400 naming options when an enumeration has none', async () => {
      const err = await failure(newProperty('contacts', { name: uniq('no_options'), label: 'No options', type: 'enumeration', fieldType: 'select', options: [] }));
      expect(err.code, show()).toBe(400);
      expect(err.body.errors?.map((e) => e.in)).toContain('options');
    });

    it('should answer 400 naming name when the internal name is not lower-case snake case', async () => {
      const err = await failure(newProperty('contacts', { name: 'Bad Name', label: 'Bad', type: 'string', fieldType: 'text' }));
      expect(err.code, show()).toBe(400);
      expect(err.body.errors?.map((e) => e.in)).toContain('name');
    });

    it('should answer 409 when the name is taken by a built-in or an existing property', async () => {
      expect((await failure(newProperty('contacts', { name: 'email', label: 'Email', type: 'string', fieldType: 'text' }))).code, show()).toBe(409);
      const name = uniq('twice');
      await newProperty('contacts', { name, label: 'Twice', type: 'string', fieldType: 'text' });
      const err = await failure(newProperty('contacts', { name, label: 'Twice', type: 'string', fieldType: 'text' }));
      expect(err.code, show()).toBe(409);
      expect(err.body.category).toBe('CONFLICT');
    });

    it('should answer 404 naming groupName when the group does not exist', async () => {
      const err = await failure(newProperty('contacts', { name: uniq('lost'), label: 'Lost', type: 'string', fieldType: 'text', groupName: 'nowhere' }));
      expect(err.code, show()).toBe(404);
      expect(err.body.errors?.map((e) => e.in)).toContain('groupName');
    });

    it('should answer 400 and keep the definition when a built-in property is archived or retyped', async () => {
      const archive = await failure(core().archive('contacts', 'email'));
      expect(archive.code, show()).toBe(400);
      expect(archive.body.subCategory).toBe('READ_ONLY_DEFINITION');
      const retype = await failure(core().update('contacts', 'firstname', { type: 'number', fieldType: 'number' } as PropertyUpdate));
      expect(retype.code, show()).toBe(400);
      expect(retype.body.errors?.map((e) => e.in)).toContain('type');
      expect((await core().getByName('contacts', 'firstname')).type).toBe('string');
    });

    it('should answer 404 when getByName, update or archive name no property', async () => {
      expect((await failure(core().getByName('contacts', 'no_such_property'))).code, show()).toBe(404);
      expect((await failure(core().update('contacts', 'no_such_property', { label: 'x' }))).code, show()).toBe(404);
      expect((await failure(core().archive('contacts', 'no_such_property'))).code, show()).toBe(404);
    });

    it('should answer 403 MISSING_SCOPES when the token lacks crm.schemas.contacts.write', async () => {
      const token = await call(suite.hs, 'POST', '/seqflow/v1/tokens', { body: { name: 'read-only schemas', scopes: ['crm.schemas.contacts.read'] } });
      expect(token.status, show()).toBe(201);
      const reader = hubspot(suite.h, { accessToken: token.body.token });
      expect((await reader.crm.properties.coreApi.getAll('contacts')).results.length).toBeGreaterThan(0);
      const err = await failure(reader.crm.properties.coreApi.create('contacts', { name: uniq('nope'), label: 'Nope', type: 'string', fieldType: 'text', groupName: 'contactinformation' } as unknown as PropertyCreate));
      expect(err.code, show()).toBe(403);
      expect(err.body.category).toBe('MISSING_SCOPES');
    });
  });

  describe.skipIf(skip)('batchApi', () => {
    it('should answer 201 with every property when a batch of valid definitions is created', async () => {
      const [a, b] = [uniq('batch_a'), uniq('batch_b')];
      const r = await suite.hs.crm.properties.batchApi.create('contacts', {
        inputs: [
          { name: a, label: 'A', type: 'string', fieldType: 'text', groupName: 'contactinformation' },
          { name: b, label: 'B', type: 'number', fieldType: 'number', groupName: 'contactinformation' },
        ] as never,
      });
      expect(r.results.map((p) => p.name).sort()).toEqual([a, b].sort());
      const read = await suite.hs.crm.properties.batchApi.read('contacts', { inputs: [{ name: a }, { name: b }], archived: false });
      expect(read.results.map((p) => p.type).sort()).toEqual(['number', 'string']);
    });

    it('should answer 207 naming the failed input when a batch holds a bad definition or an unknown name', async () => {
      const ok = uniq('batch_ok');
      const created = await suite.hs.crm.properties.batchApi.create('contacts', {
        inputs: [
          { name: ok, label: 'Ok', type: 'string', fieldType: 'text', groupName: 'contactinformation' },
          { name: 'email', label: 'Taken', type: 'string', fieldType: 'text', groupName: 'contactinformation' },
        ] as never,
      });
      expect(created.results.map((p) => p.name)).toEqual([ok]);
      expect((created as { errors?: { context?: { ids?: string[] } }[] }).errors?.map((e) => e.context?.ids)).toEqual([['email']]);
      const read = await suite.hs.crm.properties.batchApi.read('contacts', { inputs: [{ name: ok }, { name: 'nope_nothing' }], archived: false });
      expect(read.results.map((p) => p.name)).toEqual([ok]);
      expect((read as { numErrors?: number }).numErrors).toBe(1);
    });

    it('should archive every named property with 204, and none when one is built in', async () => {
      const [a, b] = [uniq('arch_a'), uniq('arch_b')];
      for (const name of [a, b]) await newProperty('contacts', { name, label: name, type: 'string', fieldType: 'text' });
      const refused = await failure(suite.hs.crm.properties.batchApi.archive('contacts', { inputs: [{ name: a }, { name: 'email' }] }));
      expect(refused.code, show()).toBe(400);
      expect((await core().getByName('contacts', a)).archived).toBe(false);
      await expect(suite.hs.crm.properties.batchApi.archive('contacts', { inputs: [{ name: a }, { name: b }] })).resolves.toBeUndefined();
      const names = (await core().getAll('contacts')).results.map((p) => p.name);
      expect(names).not.toContain(a);
      expect(names).not.toContain(b);
    });
  });

  describe.skipIf(skip)('groupsApi', () => {
    it('should create, read, list, update and archive a property group', async () => {
      const name = uniq('deal_info');
      const created = await groups().create('contacts', { name, label: 'Deal info', displayOrder: 3 });
      expect(created).toMatchObject({ name, label: 'Deal info', displayOrder: 3, archived: false });
      expect((await groups().getByName('contacts', name)).label).toBe('Deal info');
      expect((await groups().getAll('contacts')).results.map((g) => g.name)).toEqual(expect.arrayContaining(['contactinformation', name]));
      expect((await groups().update('contacts', name, { label: 'Deals' })).label).toBe('Deals');
      await expect(groups().archive('contacts', name)).resolves.toBeUndefined();
      expect((await failure(groups().getByName('contacts', name))).code, show()).toBe(404);
    });

    it('should take a custom property into a custom group and refuse to archive the group while it holds one', async () => {
      const group = uniq('custom_group');
      await groups().create('contacts', { name: group, label: 'Custom' });
      await newProperty('contacts', { name: uniq('in_group'), label: 'In group', type: 'string', fieldType: 'text', groupName: group });
      const err = await failure(groups().archive('contacts', group));
      expect(err.code, show()).toBe(400);
      expect(err.body.errors?.map((e) => e.in)).toContain('groupName');
    });

    it('should answer 400 when a built-in group is archived and 409 when a group name is taken', async () => {
      expect((await failure(groups().archive('contacts', 'contactinformation'))).code, show()).toBe(400);
      expect((await failure(groups().create('contacts', { name: 'contactinformation', label: 'Again' }))).code, show()).toBe(409);
    });
  });
  describe.skipIf(skip)('values on contact writes', () => {
    const seats = uniq('seats');
    const renewal = uniq('renewal');
    const signed = uniq('signed_at');
    const tier = uniq('tier');
    const tags = uniq('tags');
    const active = uniq('active');
    beforeAll(async () => {
      if (skip) return;
      await newProperty('contacts', { name: seats, label: 'Seats', type: 'number', fieldType: 'number' });
      await newProperty('contacts', { name: renewal, label: 'Renewal', type: 'date', fieldType: 'date' });
      await newProperty('contacts', { name: signed, label: 'Signed at', type: 'datetime', fieldType: 'date' });
      await newProperty('contacts', { name: tier, label: 'Tier', type: 'enumeration', fieldType: 'select', options: [{ label: 'Gold', value: 'gold', hidden: false }, { label: 'Silver', value: 'silver', hidden: false }] });
      await newProperty('contacts', { name: tags, label: 'Tags', type: 'enumeration', fieldType: 'checkbox', options: colors });
      await newProperty('contacts', { name: active, label: 'Active', type: 'bool', fieldType: 'booleancheckbox', options: [] });
    });
    const create = (properties: Record<string, string>) => suite.hs.crm.contacts.basicApi.create({ properties: { email: mail('v'), ...properties }, associations: [] });

    it('should store typed values in HubSpot form when they are valid', async () => {
      const c = await create({ [seats]: '12', [renewal]: String(Date.UTC(2026, 5, 1)), [signed]: '2026-03-02T15:00:00+01:00', [tier]: 'gold', [tags]: 'red;green', [active]: 'TRUE' });
      const got = await suite.hs.crm.contacts.basicApi.getById(c.id, [seats, renewal, signed, tier, tags, active]);
      expect(got.properties).toEqual({ [seats]: '12', [renewal]: '2026-06-01', [signed]: '2026-03-02T14:00:00.000Z', [tier]: 'gold', [tags]: 'red;green', [active]: 'true' });
    });

    it.each([
      ['a number property is given "abc"', () => ({ [seats]: 'abc' }), 'INVALID_NUMBER'],
      ['an enumeration is given a value not among its options', () => ({ [tier]: 'bronze' }), 'INVALID_OPTION'],
      ['a date is not a calendar date', () => ({ [renewal]: '2026-02-30' }), 'INVALID_DATE'],
      ['a datetime is not a date at all', () => ({ [signed]: 'yesterday' }), 'INVALID_DATETIME'],
      ['a bool is given yes', () => ({ [active]: 'yes' }), 'INVALID_BOOLEAN'],
    ])('should answer 400 naming the property and write nothing when %s', async (_what, values, code) => {
      const email = mail('bad');
      const props = values();
      const err = await failure(suite.hs.crm.contacts.basicApi.create({ properties: { email, ...props }, associations: [] }));
      expect(err.code, show()).toBe(400);
      expect(err.body.category).toBe('VALIDATION_ERROR');
      expect(err.body.message).toMatch(/^Property values were not valid: /);
      expect(err.body.errors).toEqual([expect.objectContaining({ in: Object.keys(props)[0], code })]);
      expect((await failure(suite.hs.crm.contacts.basicApi.getById(email, undefined, undefined, undefined, false, 'email'))).code).toBe(404);
    });

    it('should answer 400 PROPERTY_DOESNT_EXIST when a contact is written with an unknown property', async () => {
      const c = await create({ firstname: 'Known' });
      const err = await failure(suite.hs.crm.contacts.basicApi.update(c.id, { properties: { firstname: 'Changed', no_such_thing: 'x' } }));
      expect(err.code, show()).toBe(400);
      expect(err.body.errors).toEqual([expect.objectContaining({ in: 'no_such_thing', code: 'PROPERTY_DOESNT_EXIST' })]);
      expect((await suite.hs.crm.contacts.basicApi.getById(c.id, ['firstname'])).properties.firstname).toBe('Known');
    });

    it('should answer 400 READ_ONLY_VALUE when a maintained property is written', async () => {
      const err = await failure(create({ hs_sequences_is_enrolled: 'true' }));
      expect(err.code, show()).toBe(400);
      expect(err.body.errors).toEqual([expect.objectContaining({ in: 'hs_sequences_is_enrolled', code: 'READ_ONLY_VALUE' })]);
    });

    it('should fail only the bad input, naming its property, when a batch create holds one', async () => {
      const r = await suite.hs.crm.contacts.batchApi.create({
        inputs: [{ properties: { email: mail('ok'), [seats]: '3' }, associations: [] }, { properties: { email: mail('ko'), [seats]: 'three' }, associations: [] }],
      });
      expect(r.results.map((c) => c.properties[seats])).toEqual(['3']);
      // The generated model renames ErrorDetail.in to _in.
      const errors = (r as { errors?: { errors: { _in?: string; code?: string }[] }[] }).errors ?? [];
      expect(errors.flatMap((e) => e.errors)).toEqual([expect.objectContaining({ _in: `properties.${seats}`, code: 'INVALID_NUMBER' })]);
    });

    it('should compare custom number, date and enumeration properties as their type when contacts are searched', async () => {
      const mark = uniq('Typed');
      const people = [
        { firstname: 'Nine', [seats]: '9', [renewal]: '2026-01-15', [tier]: 'gold', [tags]: 'red' },
        { firstname: 'Ten', [seats]: '10', [renewal]: '2026-03-01', [tier]: 'silver', [tags]: 'red;green' },
        { firstname: 'Hundred', [seats]: '100', [renewal]: '2026-12-31', [tier]: 'gold', [tags]: 'green' },
      ];
      for (const p of people) await create({ ...p, lastname: mark });
      const search = async (filters: Record<string, unknown>[], sorts: unknown[] = []) =>
        (
          await suite.hs.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'lastname', operator: 'EQ', value: mark }, ...filters] }], sorts, properties: ['firstname'], limit: 10 } as never)
        ).results.map((c) => c.properties.firstname);
      // As text "9" > "10" and "100" < "9"; as numbers they are not.
      expect(await search([{ propertyName: seats, operator: 'GT', value: '9' }], [seats])).toEqual(['Ten', 'Hundred']);
      expect(await search([], [{ propertyName: seats, direction: 'DESCENDING' }])).toEqual(['Hundred', 'Ten', 'Nine']);
      expect(await search([{ propertyName: renewal, operator: 'BETWEEN', value: String(Date.UTC(2026, 1, 1)), highValue: '2026-06-30' }])).toEqual(['Ten']);
      expect(await search([{ propertyName: renewal, operator: 'LT', value: '2026-03-01' }])).toEqual(['Nine']);
      expect(await search([{ propertyName: tier, operator: 'IN', values: ['gold'] }], [seats])).toEqual(['Nine', 'Hundred']);
      expect(await search([{ propertyName: tags, operator: 'EQ', value: 'green' }], [seats])).toEqual(['Ten', 'Hundred']);
    });

    it('should render a custom property when a sequence template names it', async () => {
      const rep = await seedRep(suite.hs, mail('rep'));
      const seq = await call(suite.hs, 'POST', '/seqflow/v1/sequences', {
        body: {
          name: 'Custom tokens',
          userId: rep.userId,
          steps: [{ type: 'EMAIL', delayMillis: 0, subject: 'Your {{ contact.' + tier + ' }} plan', body: '<p>{{ contact.' + seats + ' }} seats renew on {{ contact.' + renewal + ' }}.</p>' }],
        },
      });
      expect(seq.status, show()).toBe(201);
      const c = await create({ firstname: 'Token', [tier]: 'gold', [seats]: '12', [renewal]: '2026-06-01' });
      const preview = await call(suite.hs, 'POST', `/seqflow/v1/sequences/${seq.body.id}/preview`, { body: { contactId: Number(c.id) } });
      expect(preview.status, show()).toBe(200);
      expect(preview.body.subject).toBe('Your gold plan');
      expect(preview.body.text).toContain('12 seats renew on 2026-06-01.');
      expect(preview.body.missingTokens).toEqual([]);
    });
  });
});
