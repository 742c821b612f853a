import { z } from 'zod';
import { batchInputs } from './contacts.js';
import { standardError, timestamp } from './common.js';

/** CRM associations v4 (issue #13): HubSpot's documented shapes for the pairs Seqflow holds. */

export const CATEGORIES = ['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED'] as const;

export const pairParams = z.object({ objectType: z.string(), objectId: z.string(), toObjectType: z.string(), toObjectId: z.string() });
export const defaultPairParams = z.object({ fromObjectType: z.string(), fromObjectId: z.string(), toObjectType: z.string(), toObjectId: z.string() });
export const listParams = z.object({ objectType: z.string(), objectId: z.string(), toObjectType: z.string() });
export const batchParams = z.object({ fromObjectType: z.string(), toObjectType: z.string() });

/** HubSpot pages associations 500 at a time by default. */
export const listQuery = z.object({ after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(500).default(500) });

export const associationSpec = z.object({ associationCategory: z.enum(CATEGORIES), associationTypeId: z.number().int() });
export const specList = z.array(associationSpec).min(1, { error: 'at least one association type is required' });

const objectRef = z.object({ id: z.union([z.string().min(1), z.number()]).transform(String) });
export const batchCreateBody = batchInputs(z.object({ from: objectRef, to: objectRef, types: specList }));
export const batchDefaultBody = batchInputs(z.object({ from: objectRef, to: objectRef }));
export const batchReadBody = batchInputs(z.object({ id: z.union([z.string().min(1), z.number()]).transform(String), after: z.string().optional() }));
export const batchArchiveBody = batchInputs(z.object({ from: objectRef, to: z.array(objectRef) }));
export const batchLabelsArchiveBody = batchCreateBody;

// ---- responses ------------------------------------------------------------------------------

const objectId = z.object({ id: z.string() });
/** Record ids inside v4 association answers are numbers, as HubSpot sends them. */
export const labelsBetweenObjectPair = z.object({
  fromObjectTypeId: z.string(),
  fromObjectId: z.number().int(),
  toObjectTypeId: z.string(),
  toObjectId: z.number().int(),
  labels: z.array(z.string()),
});
export const associationSpecWithLabel = z.object({ category: z.enum(CATEGORIES), typeId: z.number().int(), label: z.string().nullable() });
export const associatedObject = z.object({ toObjectId: z.number().int(), associationTypes: z.array(associationSpecWithLabel) });
const forwardPaging = z.object({ next: z.object({ after: z.string(), link: z.string().optional() }) });
export const associatedCollection = z.object({ results: z.array(associatedObject), paging: forwardPaging.optional() });
const batch = <T extends z.ZodType>(item: T) =>
  z.object({
    status: z.literal('COMPLETE'),
    results: z.array(item),
    numErrors: z.number().int().optional(),
    errors: z.array(standardError).optional(),
    startedAt: timestamp,
    completedAt: timestamp,
  });
export const defaultAssociation = z.object({ from: objectId, to: objectId, associationSpec });
export const defaultAssociationBatch = batch(defaultAssociation);
export const labelsBatch = batch(labelsBetweenObjectPair);
export const multiWithLabel = z.object({ from: objectId, to: z.array(associatedObject), paging: forwardPaging.optional() });
export const multiWithLabelBatch = batch(multiWithLabel);
export type AssociatedObject = z.infer<typeof associatedObject>;
