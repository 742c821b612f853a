import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { imports } from '../../schemas/index.js';
import { errors, SeqflowError } from '../../services/errors.js';
import {
  importableProperties,
  MAX_IMPORT_BYTES,
  cancelImport,
  createImport,
  discardUpload,
  importErrorsPage,
  listImportsPage,
  requireImport,
  saveUpload,
  suggestColumnMapping,
  type ImportErrorRecord,
  type ImportFile,
  type ImportRecord,
  type ImportRequest,
} from '../../services/imports.js';
import type { AppContext } from '../context.js';
import { zodToSeqflow } from '../errors.js';
import { iso, parse } from '../validate.js';

/**
 * CRM imports (HubSpot's /crm/v3/imports): create from a multipart upload (`files` and
 * `importRequest`), read, list, cancel, and the rejected rows; plus the web app's import page
 * helpers under /seqflow/v1/imports.
 */

/** HubSpot's names for the object types, as an error row shows them. */
const OBJECT_TYPE_NAMES: Record<string, string> = { '0-1': 'CONTACT', '0-2': 'COMPANY' };

/** PublicImportResponse. */
export function importView(r: ImportRecord) {
  return {
    id: String(r.id),
    state: r.state as ReturnType<typeof imports.importView.parse>['state'],
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    importName: r.name,
    importSource: 'API',
    importRequestJson: r.request,
    optOutImport: false,
    mappedObjectTypeIds: [r.objectTypeId],
    metadata: {
      counters: {
        TOTAL_ROWS: r.totalRows,
        CREATED_OBJECTS: r.createdObjects,
        UPDATED_OBJECTS: r.updatedObjects,
        UNIQUE_OBJECTS_WRITTEN: r.createdObjects + r.updatedObjects,
        ERRORS: r.errorRows,
      },
      fileIds: [String(r.id)],
      objectLists: [],
    },
  };
}

export function progressView(r: ImportRecord) {
  return {
    id: String(r.id),
    name: r.name,
    state: importView(r).state,
    fileName: r.fileName,
    fileBytes: r.fileBytes,
    bytesRead: r.bytesRead,
    totalRows: r.totalRows,
    createdObjects: r.createdObjects,
    updatedObjects: r.updatedObjects,
    errorRows: r.errorRows,
    failure: r.failure,
  };
}

function errorView(e: ImportErrorRecord, objectTypeId: string, opts: { message: boolean; rowData: boolean }) {
  return {
    id: String(e.id),
    createdAt: e.createdAt,
    errorType: e.errorType,
    ...(opts.message && { errorMessage: e.message }),
    ...(e.invalidValue !== null && { invalidValue: e.invalidValue }),
    ...(e.knownColumnNumber !== null && { knownColumnNumber: e.knownColumnNumber }),
    objectType: OBJECT_TYPE_NAMES[objectTypeId] ?? 'UNKNOWN',
    objectTypeId,
    sourceData: { rowData: opts.rowData ? e.rowData : [], lineNumber: e.lineNumber, fileId: e.importId, containsEncryptedProperties: false },
  };
}

/** The importRequest field: JSON, then HubSpot's shape; either failure names the field. */
function parseImportRequest(raw: string | undefined): ImportRequest {
  if (raw === undefined) throw errors.invalidField({ field: 'importRequest', message: 'The multipart field "importRequest" is required.' });
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw errors.invalidField({ field: 'importRequest', message: 'importRequest must be JSON.' });
  }
  const result = imports.importRequest.safeParse(json);
  if (!result.success) {
    const e = zodToSeqflow(result.error, 'body');
    throw errors.invalidInput({ message: e.message, errors: (e.errors ?? []).map((d) => ({ ...d, in: d.in ? `importRequest.${d.in}` : 'importRequest' })) });
  }
  return result.data;
}

/** Reads the multipart body: the file goes to disk as it arrives; importRequest is a small field. */
async function readUpload(ctx: AppContext, req: FastifyRequest): Promise<{ file: ImportFile | null; request: string | undefined }> {
  let file: ImportFile | null = null;
  let request: string | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'files' || file) {
          part.file.resume();
          continue;
        }
        file = await saveUpload(ctx.deps, part.file, part.filename || 'import.csv');
      } else if (part.fieldname === 'importRequest') {
        request = String(part.value);
      }
    }
  } catch (err) {
    if (file) await discardUpload(file);
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw errors.importFileTooLarge({ limitBytes: MAX_IMPORT_BYTES });
    if (err instanceof SeqflowError) throw err;
    throw errors.invalidField({ field: 'files', message: `The multipart body could not be read: ${(err as Error).message}` });
  }
  return { file, request };
}

export function registerImportRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  // The multipart parser lives in this scope alone: every other route still answers it with a 415.
  void app.register(async (scope) => {
    await scope.register(fastifyMultipart, { limits: { files: 1, fileSize: MAX_IMPORT_BYTES, fields: 10, fieldSize: 1024 * 1024 } });
    scope.post('/crm/v3/imports', async (req) => {
      if (!req.isMultipart()) throw errors.unsupportedMediaType({ contentType: req.headers['content-type'] });
      const { file, request: raw } = await readUpload(ctx, req);
      try {
        const request = parseImportRequest(raw);
        if (!file) throw errors.importFileMissing();
        const record = await createImport(deps, request, file, 'API');
        ctx.imports?.start(record.id);
        return importView(record);
      } catch (err) {
        if (file) await discardUpload(file);
        throw err;
      }
    });
  });
  app.get('/crm/v3/imports', async (req) => {
    const q = parse(imports.listImportsQuery, req.query, 'query');
    const rows = await listImportsPage(deps, { before: q.after === undefined ? undefined : Number(q.after), limit: q.limit + 1 });
    return {
      results: rows.slice(0, q.limit).map(importView),
      ...(rows.length > q.limit && { paging: { next: { after: String(rows[q.limit - 1].id) } } }),
    };
  });
  app.get('/crm/v3/imports/:importId', async (req) => importView(await requireImport(deps, parse(imports.importIdParam, req.params, 'path').importId)));
  app.post('/crm/v3/imports/:importId/cancel', async (req) => {
    const id = parse(imports.importIdParam, req.params, 'path').importId;
    const requestedAt = iso(deps.clock.now());
    const r = await cancelImport(deps, id);
    return { status: 'COMPLETE' as const, requestedAt, startedAt: requestedAt, completedAt: iso(r.updatedAt) };
  });
  app.get('/crm/v3/imports/:importId/errors', async (req) => {
    const id = parse(imports.importIdParam, req.params, 'path').importId;
    const q = parse(imports.importErrorsQuery, req.query, 'query');
    const record = await requireImport(deps, id);
    const rows = await importErrorsPage(deps, id, { after: q.after, limit: q.limit + 1 });
    const opts = { message: q.includeErrorMessage === 'true', rowData: q.includeRowData === 'true' };
    return {
      results: rows.slice(0, q.limit).map((e) => errorView(e, record.objectTypeId, opts)),
      ...(rows.length > q.limit && { paging: { next: { after: String(rows[q.limit - 1].id) } } }),
    };
  });

  // ---- the web app's import page
  app.get('/seqflow/v1/imports/:importId/progress', async (req) => progressView(await requireImport(deps, parse(imports.importIdParam, req.params, 'path').importId)));
  app.post('/seqflow/v1/imports/suggest-mapping', async (req) => {
    const { header } = parse(imports.suggestMappingBody, req.body, 'body');
    return { columns: await suggestColumnMapping(deps, header), properties: await importableProperties(deps) };
  });
}
