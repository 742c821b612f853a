import type { Selectable } from 'kysely';
import type { Db } from './database.js';
import type { ImportErrorsTable, ImportsTable } from './schema.js';
import { fromJson, toJson } from './json.js';

/** An import as the services see it. */
export interface ImportRecord {
  id: number;
  name: string;
  objectTypeId: string;
  state: string;
  source: string;
  request: unknown;
  columns: { index: number; columnName: string; objectTypeId: string; propertyName: string }[];
  fileName: string;
  filePath: string;
  fileSha256: string;
  fileBytes: number;
  committedLine: number;
  bytesRead: number;
  totalRows: number;
  createdObjects: number;
  updatedObjects: number;
  errorRows: number;
  failure: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface ImportErrorRecord {
  id: number;
  importId: number;
  lineNumber: number;
  errorType: string;
  message: string;
  invalidValue: string | null;
  knownColumnNumber: number | null;
  rowData: string[];
  createdAt: number;
}

const toImport = (r: Selectable<ImportsTable>): ImportRecord => ({
  id: r.id,
  name: r.name,
  objectTypeId: r.object_type_id,
  state: r.state,
  source: r.source,
  request: fromJson<unknown>(r.request, {}),
  columns: fromJson<ImportRecord['columns']>(r.columns, []),
  fileName: r.file_name,
  filePath: r.file_path,
  fileSha256: r.file_sha256,
  fileBytes: Number(r.file_bytes),
  committedLine: r.committed_line,
  bytesRead: Number(r.bytes_read),
  totalRows: r.total_rows,
  createdObjects: r.created_objects,
  updatedObjects: r.updated_objects,
  errorRows: r.error_rows,
  failure: r.failure,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const toError = (r: Selectable<ImportErrorsTable>): ImportErrorRecord => ({
  id: r.id,
  importId: r.import_id,
  lineNumber: r.line_number,
  errorType: r.error_type,
  message: r.message,
  invalidValue: r.invalid_value,
  knownColumnNumber: r.known_column_number,
  rowData: fromJson<string[]>(r.row_data, []),
  createdAt: Number(r.created_at),
});

export interface NewImport {
  name: string;
  objectTypeId: string;
  source: string;
  request: unknown;
  columns: ImportRecord['columns'];
  fileName: string;
  filePath: string;
  fileSha256: string;
  fileBytes: number;
}

export async function insertImport(db: Db, i: NewImport, now: number): Promise<ImportRecord> {
  const row = await db
    .insertInto('imports')
    .values({
      name: i.name,
      object_type_id: i.objectTypeId,
      state: 'STARTED',
      source: i.source,
      request: toJson(i.request),
      columns: toJson(i.columns),
      file_name: i.fileName,
      file_path: i.filePath,
      file_sha256: i.fileSha256,
      file_bytes: i.fileBytes,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toImport(row);
}

/** Points an import at where its file was stored (known only once the id is). */
export async function setImportFile(db: Db, id: number, filePath: string): Promise<void> {
  await db.updateTable('imports').set({ file_path: filePath }).where('id', '=', id).execute();
}

export async function getImport(db: Db, id: number): Promise<ImportRecord | null> {
  const r = await db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toImport(r) : null;
}

/** Newest first, before a cursor (an id), as HubSpot pages its imports. */
export async function listImports(db: Db, opts: { before?: number; limit: number }): Promise<ImportRecord[]> {
  let q = db.selectFrom('imports').selectAll().orderBy('id', 'desc').limit(opts.limit);
  if (opts.before !== undefined) q = q.where('id', '<', opts.before);
  return (await q.execute()).map(toImport);
}

/** The unfinished import of this file with this mapping, newest first: what a re-run resumes. */
export async function findUnfinishedImport(db: Db, fileSha256: string, columns: ImportRecord['columns']): Promise<ImportRecord | null> {
  const rows = await db.selectFrom('imports').selectAll().where('file_sha256', '=', fileSha256).where('state', 'in', ['STARTED', 'PROCESSING']).orderBy('id', 'desc').execute();
  const wanted = toJson(columns);
  const r = rows.find((x) => x.columns === wanted);
  return r ? toImport(r) : null;
}

/** Unfinished imports whose lease has run out (or never was taken): what a starting process picks up. */
export async function listClaimableImports(db: Db, wallNow: number, source: string): Promise<{ id: number; filePath: string }[]> {
  const rows = await db
    .selectFrom('imports')
    .select(['id', 'file_path'])
    .where('state', 'in', ['STARTED', 'PROCESSING'])
    .where('source', '=', source)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', wallNow)]))
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, filePath: r.file_path }));
}

/**
 * Takes (or renews) the lease on an unfinished import: a conditional update, so of several
 * processes exactly one runs it. False when another holds it or it has finished.
 */
export async function claimImport(db: Db, id: number, owner: string, wallNow: number, leaseMs: number): Promise<boolean> {
  const r = await db
    .updateTable('imports')
    .set({ lease_owner: owner, lease_until: wallNow + leaseMs, state: 'PROCESSING' })
    .where('id', '=', id)
    .where('state', 'in', ['STARTED', 'PROCESSING'])
    .where((eb) => eb.or([eb('lease_owner', '=', owner), eb('lease_until', 'is', null), eb('lease_until', '<', wallNow)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export interface BatchProgress {
  committedLine: number;
  bytesRead: number;
  rows: number;
  created: number;
  updated: number;
  errors: number;
}

/**
 * Advances an import past a batch, inside the batch's own transaction, only while `owner` still
 * holds it: false when it was canceled or taken over meanwhile, and the caller rolls back.
 */
export async function advanceImport(db: Db, id: number, owner: string, p: BatchProgress, now: number): Promise<boolean> {
  const r = await db
    .updateTable('imports')
    .set((eb) => ({
      committed_line: p.committedLine,
      bytes_read: p.bytesRead,
      total_rows: eb('total_rows', '+', p.rows),
      created_objects: eb('created_objects', '+', p.created),
      updated_objects: eb('updated_objects', '+', p.updated),
      error_rows: eb('error_rows', '+', p.errors),
      updated_at: now,
    }))
    .where('id', '=', id)
    .where('state', '=', 'PROCESSING')
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Ends an import (DONE, FAILED or CANCELED) unless it has ended already. */
export async function finishImport(db: Db, id: number, state: 'DONE' | 'FAILED' | 'CANCELED', now: number, failure: string | null = null): Promise<boolean> {
  const r = await db
    .updateTable('imports')
    .set({ state, failure, lease_owner: null, lease_until: null, updated_at: now })
    .where('id', '=', id)
    .where('state', 'in', ['STARTED', 'PROCESSING'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Lets go of an import without ending it (a process stopping): the next start resumes it. */
export async function releaseImport(db: Db, id: number, owner: string): Promise<void> {
  await db.updateTable('imports').set({ lease_owner: null, lease_until: null }).where('id', '=', id).where('lease_owner', '=', owner).execute();
}

export interface NewImportError {
  lineNumber: number;
  errorType: string;
  message: string;
  invalidValue?: string;
  knownColumnNumber?: number;
  rowData: string[];
}

/** Inserts a batch's error rows, a few hundred per statement (SQLite binds at most 32,766 values). */
export async function insertImportErrors(db: Db, importId: number, errors: NewImportError[], now: number): Promise<void> {
  for (let i = 0; i < errors.length; i += 500) {
    const values = errors.slice(i, i + 500).map((e) => ({
      import_id: importId,
      line_number: e.lineNumber,
      error_type: e.errorType,
      message: e.message,
      invalid_value: e.invalidValue ?? null,
      known_column_number: e.knownColumnNumber ?? null,
      row_data: toJson(e.rowData),
      created_at: now,
    }));
    await db.insertInto('import_errors').values(values).execute();
  }
}

/** An import's error rows in line order, after a cursor (an error id). */
export async function listImportErrors(db: Db, importId: number, opts: { after: number; limit: number }): Promise<ImportErrorRecord[]> {
  const rows = await db.selectFrom('import_errors').selectAll().where('import_id', '=', importId).where('id', '>', opts.after).orderBy('id').limit(opts.limit).execute();
  return rows.map(toError);
}
