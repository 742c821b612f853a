import { z } from 'zod';
import { collection, cursor, id, numericId, results, timestamp } from './common.js';

/** Forms (Seqflow's, with HubSpot's public submission endpoint) and meetings (CRM meetings v3). */

const formField = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'field names are lower-case property names such as firstname'),
  label: z.string().max(500).default(''),
  required: z.boolean().default(false),
});
export const formBody = z.object({ name: z.string().trim().min(1).max(500), fields: z.array(formField).min(1).max(100) });
/** HubSpot's forms v3 submission: field values, and context the form page sends along. */
export const submissionBody = z.object({
  fields: z.array(z.object({ name: z.string().min(1), value: z.union([z.string(), z.number(), z.boolean()]).transform(String), objectTypeId: z.string().optional() })).max(200),
  context: z.record(z.string(), z.unknown()).optional(),
  submittedAt: z.union([z.string(), z.number()]).optional(),
});
export const formParams = z.object({ guid: z.string() });
export const submissionParams = z.object({ portalId: z.string(), guid: z.string() });

export const meetingBody = z.object({
  properties: z.record(z.string(), z.union([z.string(), z.number(), z.null()]).transform((v) => (v === null ? null : String(v)))),
  associations: z
    .array(z.object({ to: z.object({ id: numericId }), types: z.array(z.object({ associationCategory: z.string(), associationTypeId: z.number() })).optional() }))
    .default([]),
});
export const meetingsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(10),
  after: cursor,
  associations: z.union([z.string(), z.array(z.string())]).optional().describe('contacts: add the contact each meeting was booked with'),
});

// ---- responses ------------------------------------------------------------------------------

export const form = z.object({
  id: z.string().describe('The form guid'),
  portalId: z.string(),
  name: z.string(),
  fields: z.array(z.object({ name: z.string(), label: z.string(), required: z.boolean() })),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export const forms = results(form);
export const submitted = z.object({ inlineMessage: z.string() });

/** HubSpot's SimplePublicObject for a meeting; `associations=contacts` adds the contact it was booked with. */
export const meeting = z.object({
  id,
  properties: z.record(z.string(), z.string().nullable()),
  createdAt: timestamp,
  updatedAt: timestamp,
  archived: z.boolean(),
  associations: z.object({ contacts: z.object({ results: z.array(z.object({ id, type: z.string() })) }) }).optional(),
});
export const meetingCollection = collection(meeting);

export type Form = z.infer<typeof form>;
