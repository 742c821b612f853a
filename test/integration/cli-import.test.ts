import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliProcess } from '../support/processes.js';
import { openStore } from '../../src/server.js';
import { countContacts, getContactByEmail } from '../../src/store/contacts.js';
import { firstCompanyWithDomain } from '../../src/store/companies.js';

/**
 * `seqflow import`: a real process on a real file, its progress bar, Ctrl-C, and a re-run that
 * continues after the last committed batch instead of starting over.
 */

const running: CliProcess[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.kill();
});

const ROWS = 30_000;

function writeCsv(dir: string): string {
  const file = path.join(dir, 'leads.csv');
  const lines = ['E-mail,First Name,Company'];
  for (let i = 1; i <= ROWS; i++) lines.push(i % 1000 === 0 ? `broken-${i},X,Acme` : `lead${i}@example.com,Lead ${i},"Acme, Inc"`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('seqflow import', () => {
  it('should show progress, stop on Ctrl-C after a committed batch and resume from there when run again', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqflow-cli-import-'));
    const dataDir = path.join(dir, 'data');
    const file = writeCsv(dir);
    const args = ['import', file, '--data-dir', dataDir, '--batch-size', '200', '--map', 'email=E-mail,firstname="First Name",company=Company'];

    const first = runCli(args);
    running.push(first);
    await first.waitFor(/Import 1 started: E-mail → email, First Name → firstname, Company → company/);
    await first.waitFor(/Importing \[.*\] \d+% \| [1-9]\d* rows/, 60_000);
    first.child.kill('SIGINT');
    expect(await first.exit).toEqual({ code: 130, signal: null });
    const stoppedAt = Number(/interrupted after line (\d+)/.exec(first.output())?.[1]);
    expect(first.output()).toContain('Run the same command again to continue.');
    expect(stoppedAt).toBeGreaterThan(1);
    expect(stoppedAt).toBeLessThan(ROWS + 1);
    // Batches of 200 rows after the header line: the stop falls on a batch boundary.
    expect((stoppedAt - 1) % 200).toBe(0);

    const second = runCli(args);
    running.push(second);
    expect(await second.exit, second.output()).toEqual({ code: 0, signal: null });
    expect(second.output()).toContain(`Resuming import 1 after line ${stoppedAt}`);
    const bad = ROWS / 1000;
    expect(second.output()).toContain(`Import 1 done: ${ROWS} rows: ${ROWS - bad} created, 0 updated, ${bad} with errors.`);
    expect(second.output()).toContain('line 1001: INVALID_EMAIL broken-1000 is not a valid email address.');
    expect(second.output()).toMatch(/Importing \[█+\] 100% \| 30000 rows/);

    const db = await openStore({ dataDir, databaseUrl: '' });
    try {
      expect(await countContacts(db.kysely)).toBe(ROWS - bad);
    } finally {
      await db.close();
    }
  }, 180_000);

  it('should import the companies first and associate the contacts of their domains, and name the column when --map names one the file lacks', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqflow-cli-import-'));
    const file = path.join(dir, 'c.csv');
    fs.writeFileSync(file, 'Email,Name\na@globex.example,A\nb@initech.example,B\n');
    const companiesFile = path.join(dir, 'companies.csv');
    fs.writeFileSync(companiesFile, 'Company name,Company Domain Name,Number of Employees\nGlobex,https://www.globex.example,40\nBad,not a domain,3\n');
    const both = runCli(['import', file, '--data-dir', path.join(dir, 'data'), '--companies', companiesFile]);
    running.push(both);
    expect((await both.exit).code, both.output()).toBe(0);
    expect(both.output()).toMatch(/Import \d+ started: Company name → name, Company Domain Name → domain, Number of Employees → numberofemployees \(companies\)\./);
    expect(both.output()).toContain('2 rows: 1 created, 0 updated, 1 with errors');
    expect(both.output()).toContain('line 3: FAILED_VALIDATION not a domain is not a domain name.');
    const db = await openStore({ dataDir: path.join(dir, 'data'), databaseUrl: '' });
    try {
      const globex = await firstCompanyWithDomain(db.kysely, 'globex.example');
      expect(globex?.properties).toMatchObject({ name: 'Globex', numberofemployees: '40' });
      expect((await getContactByEmail(db.kysely, 'a@globex.example'))?.properties.associatedcompanyid).toBe(String(globex!.id));
      expect((await getContactByEmail(db.kysely, 'b@initech.example'))?.properties.associatedcompanyid ?? null).toBeNull();
    } finally {
      await db.close();
    }

    const wrong = runCli(['import', file, '--data-dir', path.join(dir, 'data'), '--map', 'email=Mail']);
    running.push(wrong);
    expect((await wrong.exit).code).toBe(1);
    expect(wrong.output()).toContain('The file has no column "Mail".');
  });
});

describe('seqflow start with an import under way', () => {
  it('should continue an API import after the last committed batch, with no row done twice, when the server is restarted mid-import', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqflow-restart-import-'));
    const dataDir = path.join(dir, 'data');
    const token = 'restart-admin-token';
    const auth = { authorization: `Bearer ${token}` };
    const start = async () => {
      const p = runCli(['start', '--port', '0', '--host', '127.0.0.1', '--dev-smtp-port', '0', '--data-dir', dataDir], { SEQFLOW_ADMIN_TOKEN: token });
      running.push(p);
      await p.waitFor(/API\s+http/);
      return { p, url: /API\s+(http:\/\/\S+)/.exec(p.output())![1] };
    };
    const rows = 60_000;
    const lines = ['Email,Name'];
    for (let i = 1; i <= rows; i++) lines.push(i % 500 === 0 ? `bad-${i},B` : `restart${i}@example.com,R${i}`);

    const first = await start();
    const form = new FormData();
    form.append('files', new Blob([`${lines.join('\n')}\n`], { type: 'text/csv' }), 'restart.csv');
    form.append(
      'importRequest',
      JSON.stringify({ name: 'restart', files: [{ fileName: 'restart.csv', fileImportPage: { hasHeader: true, columnMappings: [{ columnName: 'Email', propertyName: 'email' }, { columnName: 'Name', propertyName: 'firstname' }] } }] }),
    );
    const created = await fetch(`${first.url}/crm/v3/imports`, { method: 'POST', headers: auth, body: form });
    expect(created.status).toBe(200);
    const { id } = (await created.json()) as { id: string };
    const progress = async (url: string) => (await (await fetch(`${url}/seqflow/v1/imports/${id}/progress`, { headers: auth })).json()) as { state: string; totalRows: number };
    await expect.poll(async () => (await progress(first.url)).totalRows, { timeout: 60_000, interval: 50 }).toBeGreaterThan(0);
    first.p.child.kill('SIGTERM');
    expect((await first.p.exit).code).toBe(0);

    const second = await start();
    const stoppedAt = await progress(second.url);
    expect(stoppedAt.totalRows).toBeLessThan(rows);
    await expect.poll(async () => (await progress(second.url)).state, { timeout: 120_000, interval: 200 }).toBe('DONE');
    const done = (await (await fetch(`${second.url}/crm/v3/imports/${id}`, { headers: auth })).json()) as { metadata: { counters: Record<string, number> } };
    const bad = rows / 500;
    expect(done.metadata.counters).toMatchObject({ TOTAL_ROWS: rows, CREATED_OBJECTS: rows - bad, UPDATED_OBJECTS: 0, ERRORS: bad });
  }, 240_000);
});

