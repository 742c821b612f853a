import { z } from 'zod';
import { batchResponse, booleanQuery, results, timestamp } from './common.js';

/** CRM properties v3: definitions and groups of contact and company properties (issue #13). */

export const PROPERTY_TYPES = ['string', 'number', 'date', 'datetime', 'enumeration', 'bool'] as const;
export const FIELD_TYPES = ['text', 'textarea', 'number', 'date', 'select', 'radio', 'checkbox', 'booleancheckbox'] as const;

const label = z.string().trim().min(1).max(255);
const optionInput = z.object({
  label,
  value: z.string().max(255),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().default(false),
  description: z.string().max(1000).optional(),
});

export const propertyCreate = z.object({
  name: z.string().min(1).max(100),
  label,
  type: z.enum(PROPERTY_TYPES),
  fieldType: z.enum(FIELD_TYPES),
  groupName: z.string().min(1).max(100),
  description: z.string().max(1000).optional(),
  options: z.array(optionInput).max(1000).optional(),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
  // The client sends these; Seqflow has no calculated, external-option or unique custom properties.
  hasUniqueValue: z.literal(false).optional(),
  externalOptions: z.literal(false).optional(),
  calculationFormula: z.never().optional(),
  referencedObjectType: z.never().optional(),
});
export const propertyUpdate = propertyCreate.omit({ name: true, hasUniqueValue: true, externalOptions: true, referencedObjectType: true }).partial();

/** getAll / getByName: archived=true lists archived properties only. `properties` (a filter on names) is accepted and ignored. */
export const propertiesQuery = z.object({ archived: booleanQuery.transform((v) => v === 'true').optional(), properties: z.string().optional() });

/** HubSpot's batch limit. */
const inputs = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(100, { error: 'Too many inputs: a batch request takes at most 100.' });
const propertyName = z.object({ name: z.string().min(1).max(100) });
export const batchRead = z.object({ inputs: inputs(propertyName), archived: z.boolean().default(false) });
export const batchCreate = z.object({ inputs: inputs(propertyCreate) });
export const batchArchive = z.object({ inputs: inputs(propertyName) });

/** A property or group name in the path. */
export const nameParam = (key: string) => z.object({ [key]: z.string() });

export const groupCreate = z.object({ name: z.string().min(1).max(100), label, displayOrder: z.number().int().optional() });
export const groupUpdate = groupCreate.omit({ name: true }).partial();

// ---- responses ------------------------------------------------------------------------------

export const option = z.object({ label: z.string(), value: z.string(), displayOrder: z.number().int(), hidden: z.boolean(), description: z.string().optional() });

export const property = z.object({
  name: z.string(),
  label: z.string(),
  type: z.enum(PROPERTY_TYPES),
  fieldType: z.enum(FIELD_TYPES),
  description: z.string(),
  groupName: z.string(),
  options: z.array(option),
  displayOrder: z.number().int(),
  calculated: z.boolean(),
  externalOptions: z.boolean(),
  hasUniqueValue: z.boolean(),
  hidden: z.boolean(),
  formField: z.boolean(),
  hubspotDefined: z.boolean().optional().describe('true on built-in properties'),
  modificationMetadata: z.object({ archivable: z.boolean(), readOnlyDefinition: z.boolean(), readOnlyValue: z.boolean(), readOnlyOptions: z.boolean().optional() }),
  createdAt: timestamp.optional(),
  updatedAt: timestamp.optional(),
  archived: z.boolean(),
  archivedAt: timestamp.optional(),
});
export const propertyCollection = results(property);
export const propertyBatch = batchResponse(property);

export const group = z.object({ name: z.string(), label: z.string(), displayOrder: z.number().int(), archived: z.boolean() });
export const groupCollection = results(group);

export type Property = z.infer<typeof property>;
export type PropertyGroup = z.infer<typeof group>;
export type PropertyCreate = z.infer<typeof propertyCreate>;
