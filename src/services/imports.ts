import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, type CsvError } from 'csv-parse';
import {
  FINISHED_STATES,
  IMPORT_OBJECT_TYPES,
  isBlankRow,
  isImportObjectType,
  mapRow,
  matchKey,
  resolveColumns,
  suggestMapping,
  type ImportObjectTypeId,
  type ImportState,
  type ResolvedColumn,
  type RowError,
} from '../domain/imports.js';
import * as contacts from '../store/contacts.js';
import type { Tx } from '../store/database.js';
import { appendEvents } from '../store/events.js';
import * as store from '../store/imports.js';
import { isUniqueViolation } from '../store/json.js';
import { contactPropertiesOf, updateContactIn } from './contacts.js';
import type { Config, Deps } from './deps.js';
import { errors } from './errors.js';
import { fireCreatedTriggers, type At } from './events.js';
import { definitionsOf } from './properties.js';
import { createCompanyIn, updateCompanyIn } from './companies.js';
import * as companyStore from '../store/companies.js';
import { autoAssociateNewContacts } from './company-links.js';
import { checkValues, OBJECT_TYPE_IDS } from '../domain/properties.js';

/**
 * CSV imports (HubSpot's CRM imports API, issue #13). An import is a row in `imports` and a file
 * on disk; running it streams the file (csv-parse), maps and checks each row (src/domain/imports.ts),
 * and writes BATCH_SIZE rows per transaction together with their error rows and the import's
 * progress, so at most one batch is ever held in memory and a resumed import continues after the
 * last committed batch. Records are created or updated by the object type's match property
 * (email for contacts), as HubSpot dedupes.
 */

export type { ImportErrorRecord, ImportRecord } from '../store/imports.js';

/** What imports need of the services' deps: the CLI runs them without a server. */
export type ImportDeps = Pick<Deps, 'db' | 'clock' | 'log' | 'settings'> & { config: Pick<Config, 'accountTimeZone'> };

const atNow = (deps: ImportDeps): At => ({ now: deps.clock.now(), zone: deps.config.accountTimeZone });

/** Rows written per transaction. */
export const BATCH_SIZE = 1000;
/** HubSpot's limit on an import file. */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

/** The import request, as parsed from HubSpot's importRequest JSON (src/schemas/imports.ts). */
export interface ImportRequest {
  name: string;
  /** By object type id: CREATE (existing records are errors), UPDATE (new ones are), UPSERT (the default). */
  importOperations?: Record<string, ImportOperation>;
  files: {
    fileName: string;
    fileFormat?: string;
    dateFormat?: string;
    fileImportPage: { hasHeader?: boolean; columnMappings: { columnName: string; propertyName?: string | null; columnObjectTypeId?: string; idColumnType?: string | null }[] };
  }[];
}

/** A file already on disk (an upload the HTTP face streamed there, or the CLI's own file). */
export interface ImportFile {
  path: string;
  name: string;
  bytes: number;
  sha256: string;
}

/** Streams a file through SHA-256: the CLI's way to recognise a file it has imported before. */
export async function fileDigest(filePath: string): Promise<{ bytes: number; sha256: string }> {
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(filePath)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/**
 * Stores an uploaded file under the data dir (never in memory), hashing it on the way. The file
 * stays there while its import may still run or resume; a failed upload leaves nothing behind.
 */
export async function saveUpload(deps: ImportDeps, upload: Readable, name: string): Promise<ImportFile> {
  const dir = path.join(deps.settings.dataDir, 'imports');
  await fs.promises.mkdir(dir, { recursive: true });
  const target = path.join(dir, `${crypto.randomUUID()}.csv`);
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(upload, count, fs.createWriteStream(target, { flags: 'wx' }));
  } catch (err) {
    await fs.promises.rm(target, { force: true });
    throw err;
  }
  return { path: target, name, bytes, sha256: hash.digest('hex') };
}

/** Removes an upload whose import never started (a refused request). */
export const discardUpload = (file: ImportFile): Promise<void> => fs.promises.rm(file.path, { force: true });

/** A record longer than this is reported (COULD_NOT_PARSE_ROW) rather than buffered: a runaway quote cannot eat the memory. */
const MAX_RECORD_BYTES = 1024 * 1024;
const csvOptions = { bom: true, relax_column_count: true, relax_quotes: true, info: true, skip_records_with_error: true, max_record_size: MAX_RECORD_BYTES } as const;

/** Cells as an error row keeps them: no NUL (PostgreSQL text cannot hold one), none past the value limit. */
const keptCells = (row: string[]): string[] => row.map((c) => c.replaceAll('\u0000', '\uFFFD').slice(0, 65_536));

/** The first `rows` records of a file (the header first), read without loading the rest. */
export async function readFirstRows(filePath: string, rows: number): Promise<string[][]> {
  const out: string[][] = [];
  const stream = fs.createReadStream(filePath);
  const parser = stream.pipe(parse({ ...csvOptions, to: rows }));
  for await (const r of parser as AsyncIterable<{ record: string[] }>) out.push(r.record);
  stream.destroy();
  return out;
}

/** The one object type an import request writes, and its columns resolved against the file's header. */
async function planImport(deps: ImportDeps, request: ImportRequest, file: ImportFile): Promise<{ objectTypeId: ImportObjectTypeId; columns: ResolvedColumn[] }> {
  const page = request.files[0].fileImportPage;
  const types = [...new Set(page.columnMappings.filter((m) => m.propertyName).map((m) => m.columnObjectTypeId ?? '0-1'))];
  const objectTypeId = types[0] ?? '0-1';
  if (!isImportObjectType(objectTypeId)) {
    const i = page.columnMappings.findIndex((m) => m.columnObjectTypeId === objectTypeId);
    throw errors.importRequestInvalid({
      problems: [{ message: `Seqflow imports ${Object.keys(IMPORT_OBJECT_TYPES).join(', ')} (contacts and companies); ${objectTypeId} is not supported.`, in: `importRequest.files[0].fileImportPage.columnMappings[${i}].columnObjectTypeId`, code: 'INVALID_COLUMN_CONFIGURATION' }],
    });
  }
  if (page.hasHeader === false) {
    throw errors.importRequestInvalid({ problems: [{ message: 'Files without a header row are not supported: columns are mapped by their header name.', in: 'importRequest.files[0].fileImportPage.hasHeader' }] });
  }
  const [header] = await readFirstRows(file.path, 1);
  if (!header?.length || isBlankRow(header)) {
    throw errors.importRequestInvalid({ problems: [{ message: 'The file is empty: it has no header row.', in: 'files', code: 'INVALID_SPREADSHEET' }] });
  }
  const { columns, problems } = resolveColumns(header, page.columnMappings, objectTypeId);
  if (problems.length) throw errors.importRequestInvalid({ problems: problems.map((p) => ({ ...p, code: 'INVALID_COLUMN_CONFIGURATION' })) });
  // A column mapped to a property that does not exist (or that Seqflow maintains) would fail every row: refuse it now.
  const defs = await definitionsOf(deps.db.kysely, OBJECT_TYPE_IDS[objectTypeId]);
  const unwritable = columns.filter((c) => !defs.get(c.propertyName) || defs.get(c.propertyName)!.archivedAt !== null || defs.get(c.propertyName)!.readOnlyValue);
  if (unwritable.length) {
    throw errors.importRequestInvalid({
      problems: unwritable.map((c) => ({
        message: `Column ${c.columnName} is mapped to ${c.propertyName}, which is not a writable ${OBJECT_TYPE_IDS[objectTypeId]} property: create it in Settings › Properties first.`,
        in: `importRequest.files[0].fileImportPage.columnMappings[${page.columnMappings.findIndex((m) => m.columnName === c.columnName)}].propertyName`,
        code: 'PROPERTY_DOESNT_EXIST',
      })),
    });
  }
  return { objectTypeId, columns };
}

/**
 * Records an import of a file already on disk, in state STARTED; nothing is written until it
 * runs. A request that does not fit the file is refused here, before any row is read.
 */
export async function createImport(deps: ImportDeps, request: ImportRequest, file: ImportFile, source: 'API' | 'CLI'): Promise<store.ImportRecord> {
  const { objectTypeId, columns } = await planImport(deps, request, file);
  return store.insertImport(
    deps.db.kysely,
    { name: request.name, objectTypeId, source, request, columns, fileName: file.name, filePath: file.path, fileSha256: file.sha256, fileBytes: file.bytes },
    deps.clock.now(),
  );
}

/**
 * The CLI's create-or-resume: an unfinished import of the same file (by content) with the same
 * mapping is continued rather than started over.
 */
export async function createOrResumeImport(deps: ImportDeps, request: ImportRequest, file: ImportFile): Promise<{ record: store.ImportRecord; resumed: boolean }> {
  const { columns } = await planImport(deps, request, file);
  const open = await store.findUnfinishedImport(deps.db.kysely, file.sha256, columns);
  if (open) return { record: open, resumed: true };
  return { record: await createImport(deps, request, file, 'CLI'), resumed: false };
}

export async function requireImport(deps: ImportDeps, id: number): Promise<store.ImportRecord> {
  const found = await store.getImport(deps.db.kysely, id);
  if (!found) throw errors.importNotFound({ id });
  return found;
}

export const listImportsPage = (deps: ImportDeps, opts: { before?: number; limit: number }): Promise<store.ImportRecord[]> => store.listImports(deps.db.kysely, opts);

export async function importErrorsPage(deps: ImportDeps, id: number, opts: { after: number; limit: number }): Promise<store.ImportErrorRecord[]> {
  await requireImport(deps, id);
  return store.listImportErrors(deps.db.kysely, id, opts);
}

/** Cancels an unfinished import: what has committed stays; its runner stops at its next batch. */
export async function cancelImport(deps: ImportDeps, id: number): Promise<store.ImportRecord> {
  const found = await requireImport(deps, id);
  if (!(await store.finishImport(deps.db.kysely, id, 'CANCELED', deps.clock.now()))) throw errors.importFinished({ state: found.state });
  const canceled = await requireImport(deps, id);
  await discardFinishedUpload(canceled);
  return canceled;
}

/**
 * Unfinished imports of this source no live process holds and whose file this machine has: what
 * a starting process resumes. (With API processes on several machines, an upload lies on the one
 * that received it; another machine leaves it alone rather than fail it.)
 */
export async function claimableImports(deps: ImportDeps, source: 'API' | 'CLI'): Promise<number[]> {
  const open = await store.listClaimableImports(deps.db.kysely, Date.now(), source);
  return open.filter((i) => fs.existsSync(i.filePath)).map((i) => i.id);
}

/** The column mapping the web app suggests for a header row. */
/**
 * The properties an import may fill for an object type: every live definition (built-in or
 * custom) whose value a client may write — what the import page offers and the CLI maps to.
 */
export async function importableProperties(deps: Pick<ImportDeps, 'db'>, objectTypeId: ImportObjectTypeId = '0-1'): Promise<{ name: string; label: string }[]> {
  const defs = await definitionsOf(deps.db.kysely, OBJECT_TYPE_IDS[objectTypeId]);
  return [...defs.values()].filter((d) => d.archivedAt === null && !d.readOnlyValue).map((d) => ({ name: d.name, label: d.label }));
}

export const suggestColumnMapping = async (deps: Pick<ImportDeps, 'db'>, header: string[], objectTypeId: ImportObjectTypeId = '0-1') =>
  suggestMapping(header, await importableProperties(deps, objectTypeId));

// ---- checking and writing rows ------------------------------------------------------------------

/** Checks one row's values beyond the match property; null when they are fine. */
export type ValueCheck = (properties: Record<string, string>) => RowError | null;

/**
 * THE one place every row's values pass before they are written. Today only the domain's row
 * rules apply (mapRow); property definitions and their value validation (the properties branch)
 * plug in here, loaded once per import, returning INVALID_CUSTOM_PROPERTY_VALIDATION or
 * FAILED_VALIDATION with the property named.
 */
export async function prepareValueCheck(deps: ImportDeps, objectTypeId: ImportObjectTypeId): Promise<ValueCheck> {
  const defs = await definitionsOf(deps.db.kysely, OBJECT_TYPE_IDS[objectTypeId]);
  return (properties) => {
    const r = checkValues(defs, properties);
    const p = r.problems[0];
    if (!p) {
      // Stored form (dates as YYYY-MM-DD, booleans lower-case), as an API write stores them.
      Object.assign(properties, r.values);
      return null;
    }
    const errorType = p.error === 'PROPERTY_DOESNT_EXIST' || p.error === 'READ_ONLY_VALUE' ? 'FAILED_VALIDATION' : 'INVALID_CUSTOM_PROPERTY_VALIDATION';
    return { errorType, message: `${p.name}: ${p.message}`, propertyName: p.name, invalidValue: properties[p.name] ?? undefined };
  };
}

interface GoodRow {
  line: number;
  properties: Record<string, string>;
  cells: string[];
}

/** HubSpot's importOperations: create and update (the default), create only, or update only. */
export type ImportOperation = 'UPSERT' | 'CREATE' | 'UPDATE';

interface BatchOutcome {
  created: number;
  updated: number;
  /** Rows the operation refuses (an existing record in a create-only import, a new one in an update-only import). */
  rejected: store.NewImportError[];
}

/** Writes a batch's good rows of one object type; returns how many records it created and updated. */
type BatchWriter = (tx: Tx, at: At, importId: number, rows: GoodRow[], operation: ImportOperation) => Promise<BatchOutcome>;

/**
 * Contacts: one query finds the batch's existing contacts; new ones are inserted in bulk with
 * hs_object_source=IMPORT and hs_object_source_id=<import id> (HubSpot's record source), their
 * CONTACT_CREATED events and triggers fired as a single create would; existing ones are updated
 * as PATCH does (history from IMPORT, PROPERTY_CHANGED events). A file naming one email twice
 * makes one contact, the later row's values winning (HubSpot's dedupe): the second row counts
 * as an update.
 */
const writeContacts: BatchWriter = async (tx, at, importId, rows, operation) => {
  const keys = [...new Set(rows.map((r) => matchKey('0-1', r.properties)))];
  const existing = new Map((await contacts.findContactsByEmailKeys(tx, keys)).map((c) => [c.email!.trim().toLowerCase(), c]));
  const creates = new Map<string, Record<string, string>>();
  const updates = new Map<string, Record<string, string>>();
  let created = 0;
  let updated = 0;
  const rejected: store.NewImportError[] = [];
  const refuse = (r: GoodRow, errorType: 'CREATE_ONLY_IMPORT' | 'UPDATE_ONLY_IMPORT', message: string) =>
    rejected.push({ lineNumber: r.line, errorType, message, invalidValue: r.properties.email, rowData: keptCells(r.cells) });
  for (const r of rows) {
    const key = matchKey('0-1', r.properties);
    const exists = existing.has(key) || creates.has(key);
    if (exists && operation === 'CREATE') {
      refuse(r, 'CREATE_ONLY_IMPORT', `A contact with email ${r.properties.email} exists; this import only creates contacts.`);
    } else if (!exists && operation === 'UPDATE') {
      refuse(r, 'UPDATE_ONLY_IMPORT', `No contact has email ${r.properties.email}; this import only updates contacts.`);
    } else if (existing.has(key)) {
      updates.set(key, { ...updates.get(key), ...r.properties });
      updated++;
    } else if (creates.has(key)) {
      Object.assign(creates.get(key)!, r.properties);
      updated++;
    } else {
      creates.set(key, { ...r.properties });
      created++;
    }
  }
  const source = { hs_object_source: 'IMPORT', hs_object_source_id: String(importId) };
  const made = await contacts.insertContactsBulk(tx, [...creates.values()].map((p) => ({ ...p, ...source })), at.now, 'IMPORT');
  await appendEvents(tx, made.map((c) => ({ contactId: c.id, type: 'CONTACT_CREATED', at: at.now, data: { importId } })));
  await fireCreatedTriggers(tx, at, made.map((c) => ({ contactId: c.id, properties: contactPropertiesOf(c) })));
  await autoAssociateNewContacts(tx, at, made);
  for (const [key, patch] of updates) await updateContactIn(tx, at, existing.get(key)!, patch, 'IMPORT');
  return { created, updated, rejected };
};

/**
 * Companies: matched by domain (as auto-association compares it) against the oldest live
 * company with that domain; new ones are created one by one as the API creates them, so each
 * picks up the contacts of its domain that have no company yet.
 */
const writeCompanies: BatchWriter = async (tx, at, _importId, rows, operation) => {
  const existing = await companyStore.firstCompaniesWithDomains(tx, [...new Set(rows.map((r) => matchKey('0-2', r.properties)))]);
  let created = 0;
  let updated = 0;
  const rejected: store.NewImportError[] = [];
  for (const r of rows) {
    const key = matchKey('0-2', r.properties);
    const company = existing.get(key);
    if (company && operation === 'CREATE') {
      rejected.push({ lineNumber: r.line, errorType: 'CREATE_ONLY_IMPORT', message: `A company with domain ${key} exists; this import only creates companies.`, invalidValue: r.properties.domain, rowData: keptCells(r.cells) });
    } else if (!company && operation === 'UPDATE') {
      rejected.push({ lineNumber: r.line, errorType: 'UPDATE_ONLY_IMPORT', message: `No company has domain ${key}; this import only updates companies.`, invalidValue: r.properties.domain, rowData: keptCells(r.cells) });
    } else if (company) {
      existing.set(key, await updateCompanyIn(tx, at, company, r.properties));
      updated++;
    } else {
      existing.set(key, await createCompanyIn(tx, at, r.properties));
      created++;
    }
  }
  return { created, updated, rejected };
};

/** One writer per object type. */
const WRITERS: Record<ImportObjectTypeId, BatchWriter> = { '0-1': writeContacts, '0-2': writeCompanies };

// ---- running ----------------------------------------------------------------------------------

export interface RunOptions {
  /** Who runs it (a lease holder name). */
  owner: string;
  /** How long the lease lasts without renewal (wall clock); renewed after every batch. */
  leaseMs: number;
  batchSize?: number;
  /** Asked between batches: true stops the run, leaving the import to be resumed. */
  shouldStop?: () => boolean;
  /** Called after every committed batch with the import as it now stands. */
  onProgress?: (record: store.ImportRecord) => void | Promise<void>;
}

/** Thrown inside a batch's transaction when the import was canceled or taken over: rolls the batch back. */
class LostImport extends Error {}

/**
 * Runs an import from where it stands to its end (DONE), a stop (shouldStop: left PROCESSING,
 * released, resumable) or a cancel. Returns the import's final record, or null when another
 * process holds it. A file that cannot be read fails the import (FAILED) with the reason.
 */
export async function runImport(deps: ImportDeps, id: number, opts: RunOptions): Promise<store.ImportRecord | null> {
  const db = deps.db.kysely;
  if (!(await store.claimImport(db, id, opts.owner, Date.now(), opts.leaseMs))) return null;
  const record = await requireImport(deps, id);
  const objectTypeId = record.objectTypeId as ImportObjectTypeId;
  const write = WRITERS[objectTypeId];
  const check = await prepareValueCheck(deps, objectTypeId);
  const batchSize = opts.batchSize ?? BATCH_SIZE;
  const columns = record.columns as ResolvedColumn[];
  const operation: ImportOperation = (record.request as ImportRequest).importOperations?.[objectTypeId] ?? 'UPSERT';

  let good: GoodRow[] = [];
  let bad: store.NewImportError[] = [];
  let rows = 0;
  let lastLine = record.committedLine;
  let bytesRead = record.bytesRead;

  /** Commits the batch in hand; false when the import was canceled or taken over meanwhile. */
  const flush = async (): Promise<boolean> => {
    if (lastLine === record.committedLine && rows === 0 && bad.length === 0) return true;
    for (let attempt = 1; ; attempt++) {
      try {
        await deps.db.transaction(async (tx) => {
          const at = atNow(deps);
          const { created, updated, rejected } = good.length ? await write(tx, at, id, good, operation) : { created: 0, updated: 0, rejected: [] };
          const errorRows = [...bad, ...rejected].sort((a, b) => a.lineNumber - b.lineNumber);
          await store.insertImportErrors(tx, id, errorRows, at.now);
          const progress = { committedLine: lastLine, bytesRead, rows, created, updated, errors: new Set(errorRows.map((b) => b.lineNumber)).size };
          if (!(await store.advanceImport(tx, id, opts.owner, progress, at.now))) throw new LostImport();
        });
        break;
      } catch (err) {
        if (err instanceof LostImport) return false;
        // A record created through the API between our read and our insert: read again and retry.
        if (isUniqueViolation(err) && attempt < 3) continue;
        throw err;
      }
    }
    record.committedLine = lastLine;
    good = [];
    bad = [];
    rows = 0;
    if (!(await store.claimImport(db, id, opts.owner, Date.now(), opts.leaseMs))) return false;
    await opts.onProgress?.(await requireImport(deps, id));
    return true;
  };

  const stream = fs.createReadStream(record.filePath);
  try {
    const parser = stream.pipe(parse(csvOptions));
    // One report per line: a runaway quote is reported when it passes the record limit and again at the end of the file.
    let lastSkipped = 0;
    parser.on('skip', (err: CsvError & { lines?: number }) => {
      const line = err.lines ?? lastLine + 1;
      if (line <= record.committedLine || line === lastSkipped) return;
      lastSkipped = line;
      bad.push({ lineNumber: line, errorType: 'COULD_NOT_PARSE_ROW', message: err.message.slice(0, 1000), rowData: [] });
      rows++;
    });
    let headerLength = -1;
    let endOfPrevious = 0;
    for await (const { record: row, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
      const line = endOfPrevious + 1;
      endOfPrevious = info.lines;
      if (headerLength < 0) {
        headerLength = row.length;
        continue;
      }
      if (line <= record.committedLine) continue;
      lastLine = info.lines;
      bytesRead = info.bytes;
      if (isBlankRow(row)) continue;
      rows++;
      const mapped = mapRow(row, headerLength, columns, objectTypeId);
      const problem = mapped.ok ? check(mapped.properties) : mapped.error;
      if (mapped.ok && !problem) good.push({ line, properties: mapped.properties, cells: row });
      else bad.push({ lineNumber: line, errorType: problem!.errorType, message: problem!.message, invalidValue: problem!.invalidValue, knownColumnNumber: problem!.knownColumnNumber, rowData: keptCells(row) });
      if (rows >= batchSize) {
        if (!(await flush())) return requireImport(deps, id);
        if (opts.shouldStop?.()) {
          await store.releaseImport(db, id, opts.owner);
          return requireImport(deps, id);
        }
      }
    }
    bytesRead = record.fileBytes;
    lastLine = Math.max(lastLine, endOfPrevious);
    if (!(await flush())) return requireImport(deps, id);
    await store.finishImport(db, id, 'DONE', deps.clock.now());
  } catch (err) {
    deps.log.error({ err, importId: id }, 'import failed');
    await store.finishImport(db, id, 'FAILED', deps.clock.now(), err instanceof Error ? err.message : String(err));
  } finally {
    stream.destroy();
  }
  const final = await requireImport(deps, id);
  await discardFinishedUpload(final);
  return final;
}

/**
 * An API upload is deleted once its import has ended: the rejected rows are kept in the database,
 * and nothing else reads the file again. A CLI import's file is the user's own and stays.
 */
async function discardFinishedUpload(r: store.ImportRecord): Promise<void> {
  if (r.source === 'API' && isFinished(r.state)) await fs.promises.rm(r.filePath, { force: true });
}

export const isFinished = (state: string): boolean => FINISHED_STATES.includes(state as ImportState);
