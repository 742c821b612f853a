import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { ADMIN_TOKEN, DAY, seedSender, seedSequence, startHarness, type Harness } from '../support/harness.js';
import { chain, createFlow, createForm, ENROLL, flow, submit } from '../support/workflows.js';
import { createImport, fileDigest, runImport } from '../../src/services/imports.js';
import { claimImport } from '../../src/store/imports.js';

/**
 * Imports beyond the official client: what the cold-import guardrail sees of imported contacts,
 * and an API import that stops mid-file and is resumed after the last committed batch.
 */

export async function multipart(csv: string, request: unknown): Promise<{ payload: Buffer; contentType: string }> {
  const form = new FormData();
  form.append('files', new Blob([csv], { type: 'text/csv' }), 'contacts.csv');
  form.append('importRequest', JSON.stringify(request));
  const res = new Response(form);
  return { payload: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type')! };
}

const importRequest = (mappings: [string, string][]) => ({
  name: 'Leads',
  files: [{ fileName: 'contacts.csv', fileFormat: 'CSV', fileImportPage: { hasHeader: true, columnMappings: mappings.map(([columnName, propertyName]) => ({ columnObjectTypeId: '0-1', columnName, propertyName })) } }],
});

describe.each(dialectCases)('imports on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    h = await startHarness(await create());
  });
  afterEach(async () => h?.close());

  const upload = async (csv: string, mappings: [string, string][]) => {
    const { payload, contentType } = await multipart(csv, importRequest(mappings));
    const res = await h.sf.app!.inject({ method: 'POST', url: '/crm/v3/imports', payload, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': contentType } });
    expect(res.statusCode, res.body).toBe(200);
    await h.sf.imports!.idle();
    return JSON.parse(res.body) as { id: string };
  };

  it('should warn COLD_IMPORT counting the imported contacts who never engaged when a workflow could enroll them', async () => {
    const rep = await seedSender(h);
    const sequenceId = await seedSequence(h, rep.userId);
    const form = await createForm(h);
    await upload('Email,Stage\ncold1@example.com,lead\ncold2@example.com,lead\nwarm@example.com,lead\ncustomer@example.com,customer\n', [
      ['Email', 'email'],
      ['Stage', 'lifecyclestage'],
    ]);
    expect((await submit(h, form, { email: 'warm@example.com' })).status).toBe(200);
    const wf = await createFlow(
      h,
      flow({
        isEnabled: false,
        criteria: {
          type: 'LIST_BASED',
          shouldReEnroll: false,
          unEnrollObjectsNotMeetingCriteria: false,
          listFilterBranch: {
            filterBranchType: 'OR',
            filterBranches: [{ filterBranchType: 'AND', filterBranches: [], filters: [{ filterType: 'PROPERTY', property: 'lifecyclestage', operation: { operationType: 'MULTISTRING', operator: 'IS_EQUAL_TO', value: 'lead' } }] }],
            filters: [],
          },
        },
        actions: chain([{ actionTypeId: ENROLL, fields: { sequenceId, senderType: 'SPECIFIC_USER', userId: rep.userId } }]),
      }),
    );
    const check = async () => (await h.api('POST', `/seqflow/v1/workflows/${wf.id}/check`)).body.issues as { code: string; count?: number }[];
    expect(await check()).toContainEqual(expect.objectContaining({ code: 'COLD_IMPORT', count: 2 }));
    await h.advance(31 * DAY);
    expect((await check()).map((i) => i.code)).not.toContain('COLD_IMPORT');
  });

  it('should check values against the property definitions, join dynamic lists and the company of the domain when contacts are imported', async () => {
    expect((await h.api('POST', '/crm/v3/properties/contacts', { name: 'seats', label: 'Seats', type: 'number', fieldType: 'number', groupName: 'contactinformation' })).status).toBe(201);
    const company = (await h.api('POST', '/crm/v3/objects/companies', { properties: { name: 'Globex', domain: 'globex.example' } })).body;
    const list = (await h.api('POST', '/crm/v3/lists', {
      name: 'Big teams',
      objectTypeId: '0-1',
      processingType: 'DYNAMIC',
      filterBranch: { filterBranchType: 'OR', filterBranches: [{ filterBranchType: 'AND', filterBranches: [], filters: [{ filterType: 'PROPERTY', property: 'seats', operation: { operationType: 'NUMBER', operator: 'IS_GREATER_THAN', value: 9 } }] }], filters: [] },
    })).body.list;
    const { id } = await upload('Email,Seats\nann@globex.example,12\nbob@globex.example,9\ncid@globex.example,many\n', [
      ['Email', 'email'],
      ['Seats', 'seats'],
    ]);
    const done = (await h.api('GET', `/crm/v3/imports/${id}`)).body;
    expect(done.metadata.counters).toMatchObject({ CREATED_OBJECTS: 2, ERRORS: 1 });
    const errors = (await h.api('GET', `/crm/v3/imports/${id}/errors`)).body.results;
    expect(errors.map((e: { sourceData: { lineNumber: number }; errorType: string }) => [e.sourceData.lineNumber, e.errorType])).toEqual([[4, 'INVALID_CUSTOM_PROPERTY_VALIDATION']]);
    // 12 > 9 as numbers (as text "12" < "9"): only Ann is on the list.
    const members = (await h.api('GET', `/crm/v3/lists/${list.listId}/memberships`)).body.results as { recordId: string }[];
    const ann = (await h.api('GET', '/crm/v3/objects/contacts/ann@globex.example?idProperty=email&properties=associatedcompanyid')).body;
    expect(members.map((m) => m.recordId)).toEqual([ann.id]);
    expect(ann.properties.associatedcompanyid).toBe(company.id);
  });

  it('should create and update companies by domain and associate the contacts of a new company when companies are imported', async () => {
    const initech = (await h.api('POST', '/crm/v3/objects/companies', { properties: { name: 'Initech', domain: 'initech.example' } })).body;
    const ann = (await h.api('POST', '/crm/v3/objects/contacts', { properties: { email: 'ann@globex.example' } })).body;
    const request = {
      name: 'Companies',
      files: [{ fileName: 'contacts.csv', fileFormat: 'CSV', fileImportPage: { hasHeader: true, columnMappings: [['Name', 'name'], ['Domain', 'domain'], ['Seats', 'numberofemployees']].map(([columnName, propertyName]) => ({ columnObjectTypeId: '0-2', columnName, propertyName })) } }],
    };
    const { payload, contentType } = await multipart('Name,Domain,Seats\nGlobex,globex.example,40\nInitech Ltd,WWW.Initech.example,12\nNowhere,,1\nOdd,globex.example,many\n', request);
    const res = await h.sf.app!.inject({ method: 'POST', url: '/crm/v3/imports', payload, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': contentType } });
    expect(res.statusCode, res.body).toBe(200);
    await h.sf.imports!.idle();
    const done = (await h.api('GET', `/crm/v3/imports/${JSON.parse(res.body).id}`)).body;
    expect(done.metadata.counters).toMatchObject({ TOTAL_ROWS: 4, CREATED_OBJECTS: 1, UPDATED_OBJECTS: 1, ERRORS: 2 });
    expect((await h.api('GET', `/crm/v3/objects/companies/${initech.id}`)).body.properties.name).toBe('Initech Ltd');
    const contact = (await h.api('GET', `/crm/v3/objects/contacts/${ann.id}?properties=associatedcompanyid`)).body;
    const globex = (await h.api('POST', '/crm/v3/objects/companies/search', { filterGroups: [{ filters: [{ propertyName: 'domain', operator: 'EQ', value: 'globex.example' }] }], properties: ['numberofemployees'] })).body.results;
    expect(globex.map((c: { properties: { numberofemployees: string } }) => c.properties.numberofemployees)).toEqual(['40']);
    expect(contact.properties.associatedcompanyid).toBe(globex[0].id);
  });

  it('should continue after the last committed batch, with no contact twice, when an API import stopped mid-file is resumed', async () => {
    const file = path.join(h.sf.deps.settings.dataDir, 'resume.csv');
    const lines = ['Email,First Name', ...Array.from({ length: 25 }, (_, i) => `r${i}@example.com,R${i}`), 'bad,row'];
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const request = importRequest([
      ['Email', 'email'],
      ['First Name', 'firstname'],
    ]);
    const record = await createImport(h.sf.deps, request, { path: file, name: 'resume.csv', ...(await fileDigest(file)) }, 'API');

    // A process that stops after its first batch of 10 (a shutdown), leaving the import resumable.
    const stopped = await runImport(h.sf.deps, record.id, { owner: 'stopping-process', leaseMs: 60_000, batchSize: 10, shouldStop: () => true });
    expect(stopped).toMatchObject({ state: 'PROCESSING', committedLine: 11, totalRows: 10, createdObjects: 10 });

    await h.sf.imports!.resume();
    await h.sf.imports!.idle();
    const done = (await h.api('GET', `/crm/v3/imports/${record.id}`)).body;
    expect(done.state).toBe('DONE');
    expect(done.metadata.counters).toMatchObject({ TOTAL_ROWS: 26, CREATED_OBJECTS: 25, UPDATED_OBJECTS: 0, ERRORS: 1 });
    const errors = (await h.api('GET', `/crm/v3/imports/${record.id}/errors`)).body.results;
    expect(errors.map((e: { sourceData: { lineNumber: number }; errorType: string }) => [e.sourceData.lineNumber, e.errorType])).toEqual([[27, 'INVALID_EMAIL']]);
    const search = await h.api('POST', '/crm/v3/objects/contacts/search', { filterGroups: [{ filters: [{ propertyName: 'hs_object_source_id', operator: 'EQ', value: String(record.id) }] }], limit: 1 });
    expect(search.body.total).toBe(25);
  });

  it('should take over an import whose process died holding it once its lease has lapsed', async () => {
    const file = path.join(h.sf.deps.settings.dataDir, 'crashed.csv');
    fs.writeFileSync(file, ['Email', ...Array.from({ length: 12 }, (_, i) => `crash${i}@example.com`)].join('\n'));
    const record = await createImport(h.sf.deps, importRequest([['Email', 'email']]), { path: file, name: 'crashed.csv', ...(await fileDigest(file)) }, 'API');
    // A process that claimed it and died: a lease that is still running, then one that has lapsed.
    expect(await claimImport(h.sf.deps.db.kysely, record.id, 'dead-process', Date.now(), 60_000)).toBe(true);
    await h.sf.imports!.resume();
    await h.sf.imports!.idle();
    expect((await h.api('GET', `/crm/v3/imports/${record.id}`)).body.state).toBe('PROCESSING');
    expect(await claimImport(h.sf.deps.db.kysely, record.id, 'dead-process', Date.now() - 120_000, 60_000)).toBe(true);
    await h.sf.imports!.resume();
    await h.sf.imports!.idle();
    const done = (await h.api('GET', `/crm/v3/imports/${record.id}`)).body;
    expect(done.state).toBe('DONE');
    expect(done.metadata.counters).toMatchObject({ TOTAL_ROWS: 12, CREATED_OBJECTS: 12 });
  });

  it('should stop at the next batch and keep what committed when an import is canceled', async () => {
    const file = path.join(h.sf.deps.settings.dataDir, 'cancel.csv');
    fs.writeFileSync(file, ['Email', ...Array.from({ length: 30 }, (_, i) => `c${i}@example.com`)].join('\n'));
    const record = await createImport(h.sf.deps, importRequest([['Email', 'email']]), { path: file, name: 'cancel.csv', ...(await fileDigest(file)) }, 'API');
    let batches = 0;
    const final = await runImport(h.sf.deps, record.id, {
      owner: 'p',
      leaseMs: 60_000,
      batchSize: 10,
      onProgress: async () => {
        if (++batches === 1) expect((await h.api('POST', `/crm/v3/imports/${record.id}/cancel`)).status).toBe(200);
      },
    });
    expect(final?.state).toBe('CANCELED');
    expect(final).toMatchObject({ totalRows: 10, createdObjects: 10 });
    const search = await h.api('POST', '/crm/v3/objects/contacts/search', { filterGroups: [{ filters: [{ propertyName: 'hs_object_source_id', operator: 'EQ', value: String(record.id) }] }], limit: 1 });
    expect(search.body.total).toBe(final!.createdObjects);
  });

  describe('hostile input', () => {
    const post = (payload: Buffer | string, contentType: string) =>
      h.sf.app!.inject({ method: 'POST', url: '/crm/v3/imports', payload, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': contentType } });

    it('should report rows with a NUL, a runaway quote or the wrong width by line and import the rest when the file is hostile', async () => {
      const csv = ['Email,Name', 'ok1@example.com,A', 'nul@example.com,B\u0000C', 'ok2@example.com,C,extra', `ok3@example.com,"${'q'.repeat(1_100_000)}`, ''].join('\n');
      const { id } = await upload(csv, [
        ['Email', 'email'],
        ['Name', 'firstname'],
      ]);
      const done = (await h.api('GET', `/crm/v3/imports/${id}`)).body;
      expect(done.state).toBe('DONE');
      expect(done.metadata.counters).toMatchObject({ CREATED_OBJECTS: 1, ERRORS: 3 });
      const errors = (await h.api('GET', `/crm/v3/imports/${id}/errors?includeRowData=true`)).body.results;
      expect(errors.map((e: { sourceData: { lineNumber: number }; errorType: string }) => [e.sourceData.lineNumber, e.errorType])).toEqual([
        [3, 'FAILED_VALIDATION'],
        [4, 'INCORRECT_NUMBER_OF_COLUMNS'],
        [5, 'COULD_NOT_PARSE_ROW'],
      ]);
      expect(errors[0].sourceData.rowData).toEqual(['nul@example.com', 'B\uFFFDC']);
    });

    it('should answer 400 naming files and keep nothing when the multipart body has no file', async () => {
      const form = new FormData();
      form.append('importRequest', JSON.stringify(importRequest([['Email', 'email']])));
      const res = new Response(form);
      const r = await post(Buffer.from(await res.arrayBuffer()), res.headers.get('content-type')!);
      expect(r.statusCode).toBe(400);
      expect(JSON.parse(r.body).errors[0].in).toBe('files');
      expect((await h.api('GET', '/crm/v3/imports')).body.results).toEqual([]);
      const uploads = path.join(h.sf.deps.settings.dataDir, 'imports');
      expect(fs.existsSync(uploads) ? fs.readdirSync(uploads) : []).toEqual([]);
    });

    it('should answer 415 when the body is JSON rather than multipart', async () => {
      const r = await post(JSON.stringify(importRequest([['Email', 'email']])), 'application/json');
      expect(r.statusCode).toBe(415);
      expect(JSON.parse(r.body).category).toBe('VALIDATION_ERROR');
    });

    it('should answer 400 naming importRequest.files when the request lists no file', async () => {
      const { payload, contentType } = await multipart('Email\na@example.com\n', { name: 'x', files: [] });
      const r = await post(payload, contentType);
      expect(r.statusCode).toBe(400);
      expect(JSON.parse(r.body).errors[0].in).toBe('importRequest.files');
    });

    it('should answer 400 naming the mapping and import nothing when a column is mapped to a property that does not exist', async () => {
      const { payload, contentType } = await multipart('Email,Shoe\na@example.com,44\n', importRequest([['Email', 'email'], ['Shoe', 'shoe_size']]));
      const r = await post(payload, contentType);
      expect(r.statusCode, r.body).toBe(400);
      expect(JSON.parse(r.body).errors).toMatchObject([{ in: 'importRequest.files[0].fileImportPage.columnMappings[1].propertyName', code: 'PROPERTY_DOESNT_EXIST' }]);
      expect((await h.api('GET', '/crm/v3/imports')).body.results).toEqual([]);
    });

    it('should answer 404 when the import id is not a number or past any id', async () => {
      for (const raw of ['abc', '99999999999999', '-1']) {
        expect((await h.api('GET', `/crm/v3/imports/${raw}`)).status).toBe(404);
        expect((await h.api('GET', `/crm/v3/imports/${raw}/errors`)).status).toBe(404);
      }
    });

    it('should delete the stored upload once the import has ended', async () => {
      await upload('Email\nz@example.com\n', [['Email', 'email']]);
      expect(fs.readdirSync(path.join(h.sf.deps.settings.dataDir, 'imports'))).toEqual([]);
    });
  });
});

