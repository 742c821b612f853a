import { describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { failure, hubspot, serveOfficialClient, show } from './client.js';

/**
 * CRM imports driven only through @hubspot/api-client@13.5.0: crm.imports.coreApi (create with a
 * real CSV file, getById, getPage, cancel) and crm.imports.publicImportsApi.getErrors. Every
 * response is validated against our contracts (test/contracts) after each test.
 */

let n = 0;
const tag = () => `imp${++n}-${Date.now()}`;

const request = (name: string, mappings: [string, string | null][]) =>
  JSON.stringify({
    name,
    files: [
      {
        fileName: 'contacts.csv',
        fileFormat: 'CSV',
        dateFormat: 'YEAR_MONTH_DAY',
        fileImportPage: { hasHeader: true, columnMappings: mappings.map(([columnName, propertyName]) => ({ columnObjectTypeId: '0-1', columnName, propertyName })) },
      },
    ],
  });

const MAPPING: [string, string | null][] = [
  ['Email', 'email'],
  ['First Name', 'firstname'],
  ['Notes', null],
];

describe.each(dialectCases)('official HubSpot client: imports ($dialect)', ({ create, skip }) => {
  const suite = serveOfficialClient({ create, skip });

  const upload = (csv: string, mappings = MAPPING, name = 'Leads') => suite.hs.crm.imports.coreApi.create({ data: Buffer.from(csv), name: 'contacts.csv' }, request(name, mappings));
  const finished = async (id: string) => {
    await suite.h.sf.imports!.idle();
    return suite.hs.crm.imports.coreApi.getById(Number(id));
  };

  describe.skipIf(skip)('coreApi and publicImportsApi', () => {
    it('should create and update contacts by email and count them when a CSV with good and bad rows is imported', async () => {
      const t = tag();
      const existing = await suite.hs.crm.contacts.basicApi.create({ properties: { email: `old-${t}@example.com`, firstname: 'Before' }, associations: [] });
      const csv = [
        'Email,First Name,Notes',
        `new-${t}@example.com,Ada,first`,
        `OLD-${t}@example.com,After,updates the existing contact`,
        'not-an-email,Bad,invalid',
        ',Nobody,empty email',
        `"quoted-${t}@example.com","Grace, Hopper","has a comma"`,
        `new-${t}@example.com,Ada Again,duplicate in the file`,
        '',
      ].join('\n');
      const started = await upload(csv);
      expect(started.id).toMatch(/^\d+$/);
      expect(['STARTED', 'PROCESSING', 'DONE']).toContain(started.state);
      expect(started.createdAt).toBeInstanceOf(Date);
      expect(started.importName).toBe('Leads');

      const done = await finished(started.id);
      expect(done.state, show()).toBe('DONE');
      expect(done.metadata.counters).toMatchObject({ TOTAL_ROWS: 6, CREATED_OBJECTS: 2, UPDATED_OBJECTS: 2, ERRORS: 2 });
      expect(done.mappedObjectTypeIds).toEqual(['0-1']);

      const created = await suite.hs.crm.contacts.basicApi.getById(`new-${t}@example.com`, ['firstname', 'hs_object_source', 'hs_object_source_id'], undefined, undefined, undefined, 'email');
      // The later row of a duplicated email wins, on the one contact the file makes.
      expect(created.properties).toMatchObject({ firstname: 'Ada Again', hs_object_source: 'IMPORT', hs_object_source_id: started.id });
      const quoted = await suite.hs.crm.contacts.basicApi.getById(`quoted-${t}@example.com`, ['firstname'], undefined, undefined, undefined, 'email');
      expect(quoted.properties.firstname).toBe('Grace, Hopper');
      const updated = await suite.hs.crm.contacts.basicApi.getById(existing.id, ['firstname', 'hs_object_source']);
      expect(updated.properties.firstname).toBe('After');
      expect(updated.properties.hs_object_source ?? null).toBeNull();

      const errors = await suite.hs.crm.imports.publicImportsApi.getErrors(Number(started.id), undefined, 10, true, true);
      expect(errors.results.map((e) => [e.sourceData.lineNumber, e.errorType])).toEqual([
        [4, 'INVALID_EMAIL'],
        [5, 'MISSING_REQUIRED_PROPERTY'],
      ]);
      expect(errors.results[0].sourceData.rowData).toEqual(['not-an-email', 'Bad', 'invalid']);
      expect(errors.results[0].errorMessage).toContain('not-an-email');
      expect(errors.results[0].knownColumnNumber).toBe(1);
    });

    it('should page imports newest first and page errors forward when there are more than a page', async () => {
      const t = tag();
      const bad = Array.from({ length: 5 }, (_, i) => `bad-${i},x,y`);
      const first = await upload(['Email,First Name,Notes', `a-${t}@example.com,A,`, ...bad].join('\n'), MAPPING, `first ${t}`);
      const second = await upload(['Email,First Name,Notes', `b-${t}@example.com,B,`].join('\n'), MAPPING, `second ${t}`);
      await finished(second.id);

      const page = await suite.hs.crm.imports.coreApi.getPage(undefined, undefined, 1);
      expect(page.results.map((r) => r.id)).toEqual([second.id]);
      const next = await suite.hs.crm.imports.coreApi.getPage(page.paging!.next!.after, undefined, 1);
      expect(next.results.map((r) => r.id)).toEqual([first.id]);

      const e1 = await suite.hs.crm.imports.publicImportsApi.getErrors(Number(first.id), undefined, 3);
      expect(e1.results.map((e) => e.sourceData.lineNumber)).toEqual([3, 4, 5]);
      const e2 = await suite.hs.crm.imports.publicImportsApi.getErrors(Number(first.id), e1.paging!.next!.after, 3);
      expect(e2.results.map((e) => e.sourceData.lineNumber)).toEqual([6, 7]);
      expect(e2.paging).toBeUndefined();
    });

    it('should refuse existing contacts in a create-only import and new ones in an update-only import as error rows', async () => {
      const t = tag();
      await suite.hs.crm.contacts.basicApi.create({ properties: { email: `there-${t}@example.com`, firstname: 'There' }, associations: [] });
      const csv = ['Email,First Name,Notes', `there-${t}@example.com,Changed,`, `fresh-${t}@example.com,Fresh,`].join('\n');
      const withOperation = (operation: string) => {
        const body = JSON.parse(request(`${operation} ${t}`, MAPPING)) as Record<string, unknown>;
        return JSON.stringify({ ...body, importOperations: { '0-1': operation } });
      };

      const createOnly = await suite.hs.crm.imports.coreApi.create({ data: Buffer.from(csv), name: 'contacts.csv' }, withOperation('CREATE'));
      expect((await finished(createOnly.id)).metadata.counters).toMatchObject({ TOTAL_ROWS: 2, CREATED_OBJECTS: 1, UPDATED_OBJECTS: 0, ERRORS: 1 });
      const createErrors = await suite.hs.crm.imports.publicImportsApi.getErrors(Number(createOnly.id));
      expect(createErrors.results.map((e) => [e.sourceData.lineNumber, e.errorType])).toEqual([[2, 'CREATE_ONLY_IMPORT']]);

      const csv2 = ['Email,First Name,Notes', `there-${t}@example.com,Changed,`, `never-${t}@example.com,Never,`].join('\n');
      const updateOnly = await suite.hs.crm.imports.coreApi.create({ data: Buffer.from(csv2), name: 'contacts.csv' }, withOperation('UPDATE'));
      expect((await finished(updateOnly.id)).metadata.counters).toMatchObject({ TOTAL_ROWS: 2, CREATED_OBJECTS: 0, UPDATED_OBJECTS: 1, ERRORS: 1 });
      const updateErrors = await suite.hs.crm.imports.publicImportsApi.getErrors(Number(updateOnly.id));
      expect(updateErrors.results.map((e) => [e.sourceData.lineNumber, e.errorType])).toEqual([[3, 'UPDATE_ONLY_IMPORT']]);
      const there = await suite.hs.crm.contacts.basicApi.getById(`there-${t}@example.com`, ['firstname'], undefined, undefined, undefined, 'email');
      expect(there.properties.firstname).toBe('Changed');
    });

    it('should answer 400 naming the mapping and start nothing when a mapped column is not in the file', async () => {
      const before = await suite.hs.crm.imports.coreApi.getPage(undefined, undefined, 100);
      const err = await failure(upload('Email,First Name\nx@example.com,X\n', [['E-mail', 'email']]));
      expect(err.code, show()).toBe(400);
      expect(err.body.category).toBe('VALIDATION_ERROR');
      expect(err.body.errors?.[0].in).toBe('importRequest.files[0].fileImportPage.columnMappings[0].columnName');
      const after = await suite.hs.crm.imports.coreApi.getPage(undefined, undefined, 100);
      expect(after.results.length).toBe(before.results.length);
    });

    it('should answer 400 naming importRequest when it is not valid JSON', async () => {
      const err = await failure(suite.hs.crm.imports.coreApi.create({ data: Buffer.from('Email\na@b.co\n'), name: 'x.csv' }, '{not json'));
      expect(err.code, show()).toBe(400);
      expect(err.body.errors?.[0].in).toBe('importRequest');
    });

    it('should answer 400 when no column maps to email', async () => {
      const err = await failure(upload('Email,First Name\nx@example.com,X\n', [['First Name', 'firstname']]));
      expect(err.code, show()).toBe(400);
      expect(err.body.message).toContain('email');
    });

    it('should answer 404 when the import does not exist', async () => {
      const err = await failure(suite.hs.crm.imports.coreApi.getById(999999));
      expect(err.code, show()).toBe(404);
      expect(err.body.category).toBe('OBJECT_NOT_FOUND');
    });

    it('should answer 409 when a finished import is canceled', async () => {
      const started = await upload(`Email,First Name,Notes\nc-${tag()}@example.com,C,\n`);
      await finished(started.id);
      const err = await failure(suite.hs.crm.imports.coreApi.cancel(Number(started.id)));
      expect(err.code, show()).toBe(409);
    });
  });
});
