import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectCases } from '../support/databases.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createImport, fileDigest } from '../../src/services/imports.js';

/**
 * 100,000 rows with 1 % bad ones, on each dialect: exact counts, exact error rows, and a bounded
 * heap. The file is written to disk and imported by the server's own runner, as an upload would
 * be; the heap is sampled after forced collections while it runs, so what is measured is what
 * the import keeps alive, which must stay far below what holding the file would cost.
 *
 * Every 100th row (offset 50) is special, in turn: an invalid email (INVALID_EMAIL), an empty
 * email (MISSING_REQUIRED_PROPERTY), and the email of the row before it (HubSpot's rule: one
 * contact per email, the later row's values win; counted as an update, not an error).
 */

const ROWS = 100_000;
/** A long free-text column, so the file weighs what real exports do (about 30 MB). */
const NOTES = 'x'.repeat(240);

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function writeFile(file: string): { invalid: number[]; empty: number[]; duplicates: number } {
  const invalid: number[] = [];
  const empty: number[] = [];
  let duplicates = 0;
  const fd = fs.openSync(file, 'w');
  let chunk = 'Email,First Name,Last Name,Notes\n';
  for (let i = 1; i <= ROWS; i++) {
    const line = i + 1;
    let email = `p${i}@big.example.com`;
    if (i % 100 === 50) {
      const kind = Math.floor(i / 100) % 3;
      if (kind === 0) {
        email = `p${i}-at-big.example.com`;
        invalid.push(line);
      } else if (kind === 1) {
        email = '';
        empty.push(line);
      } else {
        email = `p${i - 1}@big.example.com`;
        duplicates++;
      }
    }
    chunk += `${email},First${i},"Last, ${i}",${NOTES}\n`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(fd, chunk);
      chunk = '';
    }
  }
  fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  return { invalid, empty, duplicates };
}

describe.each(dialectCases)('import of 100,000 rows on $dialect', ({ create, skip }) => {
  let h: Harness;
  beforeAll(async () => {
    if (skip) return;
    h = await startHarness(await create());
  });
  afterAll(async () => {
    if (!skip) await h?.close();
  });

  it.skipIf(skip)(
    'should create, update and reject exactly the rows it should, with a bounded heap, when 100,000 rows with 1 % bad ones are imported',
    async () => {
      const file = path.join(h.sf.deps.settings.dataDir, 'big.csv');
      const expected = writeFile(file);
      const digest = await fileDigest(file);
      expect(digest.bytes).toBeGreaterThan(25_000_000);
      const request = {
        name: '100k',
        files: [
          {
            fileName: 'big.csv',
            fileImportPage: {
              hasHeader: true,
              columnMappings: [
                { columnObjectTypeId: '0-1', columnName: 'Email', propertyName: 'email' },
                { columnObjectTypeId: '0-1', columnName: 'First Name', propertyName: 'firstname' },
                { columnObjectTypeId: '0-1', columnName: 'Last Name', propertyName: 'lastname' },
                { columnObjectTypeId: '0-1', columnName: 'Notes', propertyName: 'message' },
              ],
            },
          },
        ],
      };

      gc();
      const baseline = process.memoryUsage().heapUsed;
      let peak = 0;
      const sampler = setInterval(() => {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }, 1000);
      const started = Date.now();
      const record = await createImport(h.sf.deps, request, { path: file, name: 'big.csv', ...digest }, 'API');
      h.sf.imports!.start(record.id);
      await h.sf.imports!.idle();
      const seconds = (Date.now() - started) / 1000;
      clearInterval(sampler);
      console.log(`[import-100k] ${seconds.toFixed(1)} s, peak retained heap growth ${(peak / 1e6).toFixed(1)} MB, file ${(digest.bytes / 1e6).toFixed(1)} MB`);

      const done = (await h.api('GET', `/crm/v3/imports/${record.id}`)).body;
      const bad = expected.invalid.length + expected.empty.length;
      expect(done.state).toBe('DONE');
      expect(done.metadata.counters).toMatchObject({
        TOTAL_ROWS: ROWS,
        CREATED_OBJECTS: ROWS - bad - expected.duplicates,
        UPDATED_OBJECTS: expected.duplicates,
        ERRORS: bad,
      });

      const errors: [number, string][] = [];
      for (let after: string | undefined = undefined; ; ) {
        const page: { results: { sourceData: { lineNumber: number }; errorType: string }[]; paging?: { next?: { after: string } } } = (await h.api('GET', `/crm/v3/imports/${record.id}/errors?limit=1000${after ? `&after=${after}` : ''}`)).body;
        errors.push(...page.results.map((e) => [e.sourceData.lineNumber, e.errorType] as [number, string]));
        after = page.paging?.next?.after;
        if (!after) break;
      }
      const want = [...expected.invalid.map((l) => [l, 'INVALID_EMAIL']), ...expected.empty.map((l) => [l, 'MISSING_REQUIRED_PROPERTY'])].sort((a, b) => Number(a[0]) - Number(b[0]));
      expect(errors.sort((a, b) => a[0] - b[0])).toEqual(want);

      const count = await h.api('POST', '/crm/v3/objects/contacts/search', { filterGroups: [{ filters: [{ propertyName: 'hs_object_source', operator: 'EQ', value: 'IMPORT' }] }], limit: 1 });
      expect(count.body.total).toBe(ROWS - bad - expected.duplicates);
      // The duplicate's later row won: row 250 repeats p249's email (duplicates fall on i = 250, 550, …).
      const dup = (await h.api('GET', '/crm/v3/objects/contacts/p249@big.example.com?idProperty=email&properties=firstname')).body;
      expect(dup.properties.firstname).toBe('First250');

      // Holding the file's text alone would take more than its size; the import keeps one batch.
      expect(peak).toBeLessThan(digest.bytes / 2);
      expect(peak).toBeLessThan(24_000_000);
    },
    600_000,
  );
});
