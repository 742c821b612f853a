import { z } from 'zod';
import { batchResponse, collection, createAssociations, paging } from './common.js';
import { archivedQuery, batchArchiveInput, batchId, batchInputs, contact, searchBody, searchBodyDoc } from './contacts.js';

/** CRM companies v3 (issue #13): the contacts shapes, with the company's own read-only properties. */

/** Properties Seqflow maintains on a company; clients may read but not write them. */
export const READ_ONLY_PROPERTIES = ['createdate', 'hs_lastmodifieddate', 'hs_object_id'];

const propertyValue = z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? null : String(v)));
const properties = z.record(z.string().min(1).max(100), propertyValue).refine((p) => !READ_ONLY_PROPERTIES.some((k) => k in p), {
  message: `${READ_ONLY_PROPERTIES.join(', ')} are maintained by Seqflow and cannot be set`,
});
export const propertiesBody = z.object({ properties, associations: createAssociations.optional() });

export const idQuery = z.object({ archived: archivedQuery });
const readQuery = { properties: z.union([z.string(), z.array(z.string())]).optional(), associations: z.union([z.string(), z.array(z.string())]).optional() };
export const readQueryDoc = idQuery.extend(readQuery);
export const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(10), after: z.coerce.number().int().min(0).default(0), archived: archivedQuery });
export const listQueryDoc = listQuery.extend(readQuery);

export const batchCreateInput = z.object({ properties, associations: createAssociations.optional(), objectWriteTraceId: z.string().optional() });
export const batchUpdateInput = z.object({ id: batchId, properties, objectWriteTraceId: z.string().optional() });
export const batchReadBody = z.object({
  inputs: batchInputs(z.object({ id: batchId })).shape.inputs,
  properties: z.array(z.string()).optional(),
  propertiesWithHistory: z.array(z.string()).optional(),
});
export { archivedQuery, batchArchiveInput, batchInputs, searchBody, searchBodyDoc };

// ---- responses: SimplePublicObject, as for contacts ------------------------------------------

export const company = contact;
export const companyCollection = collection(company);
export const searchResponse = z.object({ total: z.number().int(), results: z.array(company), paging: paging.optional() });
export const companyBatch = batchResponse(company);
export type Company = z.infer<typeof company>;

/** Seqflow's account setting for companies (GET/PUT /seqflow/v1/companies/settings). */
export const companySettings = z.object({
  autoAssociate: z.boolean().describe("Associate contacts with the company of their email domain (the oldest with that domain; never free-mail). HubSpot's default: on."),
});
