import { z } from 'zod';
import { booleanQuery, collection, cursor, id, pathId, timestamp } from './common.js';

/** CRM imports (HubSpot's /crm/v3/imports) and the web app's import page. */

const columnMapping = z.object({
  columnName: z.string().min(1).max(1000),
  propertyName: z.string().max(100).nullable().optional(),
  columnObjectTypeId: z.string().regex(/^\d+-\d+$/, 'must be an object type id such as 0-1').optional(),
  columnType: z.string().optional(),
  idColumnType: z.string().nullable().optional(),
  toColumnObjectTypeId: z.string().optional(),
  foreignKeyType: z.unknown().optional(),
  associationIdentifierColumn: z.boolean().optional(),
});

/** The `importRequest` field of the multipart body (a JSON string), as HubSpot documents it. */
export const importRequest = z.object({
  name: z.string().trim().min(1).max(250),
  importOperations: z.record(z.string(), z.enum(['CREATE', 'UPDATE', 'UPSERT'])).optional(),
  dateFormat: z.string().optional(),
  marketableContactImport: z.boolean().optional(),
  createContactListFromImport: z.boolean().optional(),
  files: z
    .array(
      z.object({
        fileName: z.string().min(1).max(1000),
        fileFormat: z.enum(['CSV']).default('CSV'),
        dateFormat: z.string().optional(),
        fileImportPage: z.object({
          hasHeader: z.boolean().default(true),
          columnMappings: z.array(columnMapping).min(1).max(1000),
        }),
      }),
    )
    .length(1, 'Seqflow imports one CSV file per import'),
});

/** The multipart body as the OpenAPI document shows it. */
export const importUploadDoc = z.object({
  files: z.string().describe('The CSV file (binary)'),
  importRequest: z.string().describe('The import request as JSON (see importRequest)'),
});

export const importIdParam = z.object({ importId: pathId });

/** HubSpot's import counters; ERRORS (rows rejected) is Seqflow's addition. */
export const importCounters = z.record(z.string(), z.number().int());

export const importView = z.object({
  id,
  state: z.enum(['STARTED', 'PROCESSING', 'DONE', 'FAILED', 'CANCELED', 'DEFERRED', 'REVERTED']),
  createdAt: timestamp,
  updatedAt: timestamp,
  importName: z.string(),
  importSource: z.string(),
  importRequestJson: z.unknown(),
  optOutImport: z.boolean(),
  mappedObjectTypeIds: z.array(z.string()),
  metadata: z.object({
    counters: importCounters,
    fileIds: z.array(z.string()),
    objectLists: z.array(z.object({ listId: z.string(), objectType: z.string() })),
  }),
});

export const importCollection = collection(importView);
export const listImportsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(10),
  after: z.string().regex(/^\d+$/, 'must be the paging cursor (paging.next.after) of a previous page').optional(),
  before: z.string().optional(),
});

export const importErrorsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  after: cursor,
  includeErrorMessage: booleanQuery.optional(),
  includeRowData: booleanQuery.optional(),
});

export const importError = z.object({
  id,
  createdAt: z.number().int(),
  errorType: z.string(),
  errorMessage: z.string().optional(),
  invalidValue: z.string().optional(),
  knownColumnNumber: z.number().int().optional(),
  objectType: z.string(),
  objectTypeId: z.string(),
  sourceData: z.object({
    rowData: z.array(z.string()),
    lineNumber: z.number().int(),
    fileId: z.number().int(),
    containsEncryptedProperties: z.boolean(),
  }),
});
export const importErrorCollection = collection(importError);

/** HubSpot's ActionResponse, which a cancel answers. */
export const actionResponse = z.object({
  status: z.enum(['PENDING', 'PROCESSING', 'CANCELED', 'COMPLETE']),
  requestedAt: timestamp.optional(),
  startedAt: timestamp,
  completedAt: timestamp,
});

// ---- Seqflow's import page ------------------------------------------------------------------

/** An import's progress as the web app and the CLI show it. */
export const importProgress = z.object({
  id,
  name: z.string(),
  state: importView.shape.state,
  fileName: z.string(),
  fileBytes: z.number().int(),
  bytesRead: z.number().int(),
  totalRows: z.number().int(),
  createdObjects: z.number().int(),
  updatedObjects: z.number().int(),
  errorRows: z.number().int(),
  failure: z.string().nullable(),
});

export const suggestMappingBody = z.object({ header: z.array(z.string().max(1000)).min(1).max(1000) });
export const suggestedMapping = z.object({
  columns: z.array(z.object({ columnName: z.string(), propertyName: z.string().nullable() })),
  properties: z.array(z.object({ name: z.string(), label: z.string() })),
});

export type ImportView = z.infer<typeof importView>;
export type ImportError = z.infer<typeof importError>;
export type ImportProgress = z.infer<typeof importProgress>;
export type SuggestedMapping = z.infer<typeof suggestedMapping>;
