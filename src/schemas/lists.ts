import { z } from 'zod';
import { booleanQuery, cursor, id, listQuery, numericId, paging, timestamp } from './common.js';
import { propertyFilterBranch } from './flows.js';
import { ENROLLMENT_REJECTION_CODES, LIST_PROCESSING_TYPES } from './vocabulary.js';

/**
 * Lists v3 (HubSpot's crm.lists listsApi and membershipsApi, objectTypeId 0-1) and Seqflow's
 * bulk enroll from a list. Written from HubSpot's documented shapes; filters are checked by
 * src/domain/filters.ts (PROPERTY filters only), so the schema only requires a branch type.
 */

export const PROCESSING_TYPES = LIST_PROCESSING_TYPES;

const filterBranch = z.looseObject({ filterBranchType: z.string() });

/** POST /crm/v3/lists body (ListCreateRequest). listFolderId, listPermissions and the like are accepted and ignored. */
export const createListBody = z.looseObject({
  name: z.string().trim().min(1).max(500),
  objectTypeId: z.string().min(1),
  processingType: z.enum(PROCESSING_TYPES),
  filterBranch: filterBranch.optional(),
  customProperties: z.record(z.string(), z.string()).optional(),
});
export const includeFiltersQuery = z.object({ includeFilters: booleanQuery.optional() });
export const listIdParam = z.object({ listId: z.string().regex(/^\d+$/).transform(Number).refine((n) => n <= 2_147_483_647) });
export const listByNameParams = z.object({ objectTypeId: z.string(), listName: z.string().min(1) });
export const getAllQuery = z.object({ listIds: listQuery.optional(), includeFilters: booleanQuery.optional() });
export const updateNameQuery = z.object({ listName: z.string().optional(), includeFilters: booleanQuery.optional() });
export const updateFiltersQuery = z.object({ enrollObjectsInWorkflows: booleanQuery.optional() });
export const updateFiltersBody = z.looseObject({ filterBranch });
/** POST /crm/v3/lists/search body (ListSearchRequest). */
export const searchListsBody = z.looseObject({
  query: z.string().max(500).optional(),
  listIds: z.array(numericId).max(500).optional(),
  processingTypes: z.array(z.enum(PROCESSING_TYPES)).optional(),
  offset: z.number().int().min(0).default(0),
  count: z.number().int().min(1).max(500).default(20),
  additionalProperties: z.array(z.string()).optional(),
  sort: z.string().optional(),
});
/** Record ids, as strings (HubSpot's client) or numbers. */
export const recordIdsBody = z.array(numericId).max(100_000);
export const membershipsQuery = z.object({
  after: cursor,
  limit: z.coerce.number().int().min(1).max(250).default(100),
});
export const recordMembershipsParams = z.object({ objectTypeId: z.string(), recordId: z.string().regex(/^\d+$/).transform(Number).refine((n) => n <= 2_147_483_647) });

// ---- responses ------------------------------------------------------------------------------

/** HubSpot's PublicObjectList; filterBranch only with includeFilters=true (and on create). */
export const list = z.object({
  listId: id,
  listVersion: z.number().int(),
  name: z.string(),
  objectTypeId: z.string(),
  processingType: z.enum(PROCESSING_TYPES),
  processingStatus: z.string(),
  size: z.number().int().optional(),
  createdAt: timestamp,
  updatedAt: timestamp,
  filtersUpdatedAt: timestamp,
  createdById: z.string().optional(),
  deletedAt: timestamp.optional(),
  filterBranch: propertyFilterBranch.optional(),
});
export const listResponse = z.object({ list });
export const listsById = z.object({ lists: z.array(list) });
export const listUpdated = z.object({ updatedList: list });
/** A list in a search answer: additionalProperties holds hs_list_size as a string, as HubSpot's does. */
export const listSearchResult = list.omit({ filterBranch: true }).extend({ additionalProperties: z.record(z.string(), z.string()) });
export const listSearchResponse = z.object({ lists: z.array(listSearchResult), total: z.number().int(), offset: z.number().int(), hasMore: z.boolean() });
/** HubSpot's MembershipsUpdateResponse; `recordsIdsAdded` is spelled as HubSpot spells it. */
export const membershipsUpdated = z.object({ recordsIdsAdded: z.array(z.string()), recordIdsRemoved: z.array(z.string()), recordIdsMissing: z.array(z.string()) });
export const membershipsPage = z.object({
  results: z.array(z.object({ recordId: z.string(), membershipTimestamp: timestamp })),
  total: z.number().int(),
  paging: paging.optional(),
});
export const recordMemberships = z.object({
  results: z.array(z.object({ listId: id, listVersion: z.number().int(), firstAddedTimestamp: timestamp, lastAddedTimestamp: timestamp })),
  total: z.number().int(),
});

// ---- bulk enroll from a list (Seqflow) ---------------------------------------------------------

export const bulkEnrollBody = z.object({
  sequenceId: numericId,
  userId: numericId.describe('The sender: the user whose inbox sends'),
  senderEmail: z.string().min(1).describe("The sender's inbox address or one of its aliases"),
  preview: z.boolean().default(false).describe('Dry run: report who would be enrolled and who skipped, write nothing'),
});
export const bulkEnrollResult = z.object({
  contactId: id,
  email: z.string().nullable(),
  outcome: z.enum(['ENROLLED', 'WOULD_ENROLL', 'SKIPPED']),
  reason: z.enum(ENROLLMENT_REJECTION_CODES).optional().describe('Why the contact is skipped (PRODUCT §3.5)'),
  message: z.string().optional(),
  enrollmentId: id.optional(),
});
export const bulkEnrollResponse = z.object({
  preview: z.boolean(),
  listId: id,
  sequenceId: id,
  enrolled: z.number().int().describe('Enrolled, or (preview) would be'),
  skipped: z.number().int(),
  results: z.array(bulkEnrollResult),
});
/** PUT …/memberships/add-and-remove body (MembershipChangeRequest). */
export const addAndRemoveBody = z.object({ recordIdsToAdd: z.array(numericId).max(100_000).default([]), recordIdsToRemove: z.array(numericId).max(100_000).default([]) });

/** The web app's names for these shapes. */
export type ContactList = z.infer<typeof list>;
export type ListMembershipsPage = z.infer<typeof membershipsPage>;
export type BulkEnrollResponse = z.infer<typeof bulkEnrollResponse>;
