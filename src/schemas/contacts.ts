import { z } from 'zod';
import { batchResponse, booleanQuery, collection, createAssociations, cursor, id, listQuery, numericId, paging, timestamp } from './common.js';

/** CRM contacts v3 (hubspot-api.md §3.3). */

/** Properties HubSpot maintains itself; clients may read but not write them. */
export const READ_ONLY_PROPERTIES = ['createdate', 'lastmodifieddate', 'hs_object_id'];

export const email = z.email();

/** Property values are strings in HubSpot; numbers and booleans are accepted and stringified. */
const propertyValue = z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? null : String(v)));
const properties = z.record(z.string().min(1).max(100), propertyValue).refine((p) => !READ_ONLY_PROPERTIES.some((k) => k in p), {
  message: `${READ_ONLY_PROPERTIES.join(', ')} are maintained by Seqflow and cannot be set`,
});
/** POST (create) and PATCH (update) body; `associations` only counts on create. */
export const propertiesBody = z.object({ properties, associations: createAssociations.optional() });

/** How the path names a contact; anything else would silently be read as an id. */
export const idProperty = z.enum(['hs_object_id', 'email']);
export const archivedQuery = booleanQuery.transform((v) => v === 'true').optional();
/** GET/PATCH/DELETE /{id}: idProperty=email reads the path as an email; archived=true reads archived contacts only. */
export const idPropertyQuery = z.object({ idProperty: idProperty.optional(), archived: archivedQuery });
/** What reads may add: the properties to return and those to return with their history. */
const readQuery = { properties: listQuery.optional(), propertiesWithHistory: listQuery.optional() };
export const readQueryDoc = idPropertyQuery.extend(readQuery);
export const listContactsQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(10), after: cursor, archived: archivedQuery });
export const listContactsQueryDoc = listContactsQuery.extend(readQuery);

/** 'createdate' / '-createdate', or HubSpot's {propertyName, direction}; anything else would silently sort nothing. */
const sort = z.union(
  [
    z.string().trim().regex(/^[-+]?[^-+\s]/),
    z.object({ propertyName: z.string().trim().min(1), direction: z.enum(['ASCENDING', 'DESCENDING']).optional() }),
  ],
  { error: "must be a property name, optionally prefixed with '-', or {propertyName, direction: ASCENDING | DESCENDING}" },
);
const filter = z.looseObject({
  propertyName: z.string(),
  operator: z.string().describe('EQ, NEQ, LT, LTE, GT, GTE, BETWEEN, IN, NOT_IN, HAS_PROPERTY, NOT_HAS_PROPERTY, CONTAINS_TOKEN, NOT_CONTAINS_TOKEN'),
  value: z.unknown().optional(),
  highValue: z.unknown().optional(),
  values: z.array(z.unknown()).optional(),
});
/** Filter groups are checked by the search itself (src/domain/filters.ts), which names each bad field. */
export const searchBody = z.object({
  filterGroups: z.array(z.any()).default([]),
  sorts: z.array(sort).default([]),
  query: z.string().max(3000).optional(),
  properties: z.array(z.string()).optional(),
  limit: z.number().int().min(1).max(200).default(10),
  after: z.union([z.string(), z.number()]).optional(),
});

/** The search body as documented: an OR of groups, each ANDing its filters. */
export const searchBodyDoc = searchBody.extend({ filterGroups: z.array(z.object({ filters: z.array(filter) })).default([]) });

export const mergeBody = z.object({ primaryObjectId: numericId, objectIdToMerge: numericId });

/** Batch ids arrive as strings (or numbers); what they name depends on idProperty. */
export const batchId = z.union([z.string().min(1), z.number()]).transform(String);
/** HubSpot's batch limit (hubspot-api.md §3.3). */
export const BATCH_LIMIT = 100;
export const batchInputs = <T extends z.ZodType>(item: T) =>
  z.object({ inputs: z.array(item).max(BATCH_LIMIT, { error: `Too many inputs: a batch request takes at most ${BATCH_LIMIT}.` }) });

export const gdprDeleteBody = z.object({ objectId: batchId, idProperty: idProperty.optional() });
export const batchCreateInput = z.object({ properties, associations: createAssociations.optional(), objectWriteTraceId: z.string().optional() });
export const batchReadBody = z.object({
  inputs: batchInputs(z.object({ id: batchId })).shape.inputs,
  properties: z.array(z.string()).optional(),
  propertiesWithHistory: z.array(z.string()).optional(),
  idProperty: idProperty.optional(),
});
export const batchReadQuery = z.object({ archived: archivedQuery });
export const batchUpdateInput = z.object({ id: batchId, properties, idProperty: idProperty.optional(), objectWriteTraceId: z.string().optional() });
export const batchUpsertInput = z.object({
  id: z.string().trim().pipe(email),
  idProperty: z.literal('email', { error: "upsert matches contacts by email: idProperty must be 'email'" }),
  properties,
  objectWriteTraceId: z.string().optional(),
});
export const batchArchiveInput = z.object({ id: batchId });

// ---- responses ------------------------------------------------------------------------------

const historyEntry = z.object({ value: z.string(), timestamp, sourceType: z.string() });

/**
 * SimplePublicObject. Without a property list, every set property is returned (a superset of
 * HubSpot's default). Values are always strings; a requested property the contact lacks is null.
 */
export const contact = z.object({
  id,
  properties: z.record(z.string(), z.string().nullable()),
  propertiesWithHistory: z.record(z.string(), z.array(historyEntry)).optional(),
  createdAt: timestamp,
  updatedAt: timestamp,
  archived: z.boolean(),
  archivedAt: timestamp.optional(),
  /** With `?associations=companies` (issue #13): the associated records by type, HubSpot's v3 shape. */
  associations: z.record(z.string(), z.object({ results: z.array(z.object({ id: z.string(), type: z.string() })) })).optional(),
});
export const contactCollection = collection(contact);
export const searchResponse = z.object({ total: z.number().int(), results: z.array(contact), paging: paging.optional() });
export const contactBatch = batchResponse(contact);
export const upsertedContact = contact.extend({ new: z.boolean() });
export const contactUpsertBatch = batchResponse(upsertedContact);

export type Contact = z.infer<typeof contact>;
