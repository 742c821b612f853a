import { z } from 'zod';

/**
 * Shapes every part of the API shares: ids, cursors, timestamps, pages and HubSpot's error body.
 * This tree (src/schemas) imports nothing but zod: the routes validate with it, the OpenAPI
 * document is generated from it and the web app takes its types from it (z.infer).
 */

/** Ids are PostgreSQL `serial` (int4): no row has a bigger one, and the driver fails on it rather than finding nothing. */
export const MAX_ID = 2_147_483_647;
/** Never assigned by serial: a body or query id past MAX_ID is looked up as this, so it names nothing instead of overflowing. */
const NO_ROW = 0;

/** A numeric id in the path; anything else is a 404 (src/http/validate.ts parse(…, 'path')). */
export const pathId = z
  .string()
  .regex(/^\d+$/)
  .transform(Number)
  .refine((n) => n <= MAX_ID);
export const idParam = z.object({ id: pathId });

/** Numeric ids in bodies and queries, as numbers or digit strings (HubSpot sends both). */
export const numericId = z
  .union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)], {
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be a numeric id'),
  })
  .transform((n) => (n <= MAX_ID ? n : NO_ROW));

/** A paging cursor (the last id of the previous page); past MAX_ID there is simply nothing after it. */
export const cursor = z.coerce
  .number({ error: 'must be the paging cursor (paging.next.after) of a previous page' })
  .int()
  .min(0)
  .transform((n) => Math.min(n, MAX_ID))
  .default(0);

/** `true` / `false` in a query string. */
export const booleanQuery = z.enum(['true', 'false']);

/** A query parameter that may be given once or repeated (`a=x&a=y`), or comma-separated. */
export const listQuery = z.union([z.string(), z.array(z.string())]);

// ---- responses ------------------------------------------------------------------------------

/** An object id as every response shows it: a string of digits. */
export const id = z.string();
/** Epoch milliseconds as ISO-8601 with milliseconds and Z, which the HubSpot client parses with new Date(). */
export const timestamp = z.iso.datetime();

export const paging = z.object({ next: z.object({ after: z.string() }) });

/** HubSpot's CollectionResponse: a page of results and, when there is more, the cursor of the next page. */
export const collection = <T extends z.ZodType>(item: T) => z.object({ results: z.array(item), paging: paging.optional() });
/** A list that is never paged. */
export const results = <T extends z.ZodType>(item: T) => z.object({ results: z.array(item) });

export const errorDetail = z.object({ message: z.string(), in: z.string().optional(), code: z.string().optional() });

/** HubSpot's error body (hubspot-api.md §4.2); rate-limit answers add policyName and errorType. */
export const errorBody = z.looseObject({
  status: z.literal('error'),
  message: z.string(),
  correlationId: z.string(),
  category: z.string(),
  subCategory: z.string().optional(),
  errors: z.array(errorDetail).optional(),
  context: z.record(z.string(), z.array(z.string())).optional(),
  policyName: z.string().optional().describe('On 429: TEN_SECONDLY_ROLLING or SECONDLY'),
});

/** A failed batch input as HubSpot reports it inside a 207: StandardError with the ids it concerns. */
export const standardError = z.object({
  status: z.literal('error'),
  category: z.string(),
  message: z.string(),
  subCategory: z.string().optional(),
  errors: z.array(errorDetail),
  context: z.object({ ids: z.array(z.string()) }),
  links: z.object({}),
});

/** HubSpot's BatchResponse: COMPLETE with the results, and with the failures when it answers 207. */
export const batchResponse = <T extends z.ZodType>(item: T) =>
  z.object({
    status: z.literal('COMPLETE'),
    results: z.array(item),
    numErrors: z.number().int().optional(),
    errors: z.array(standardError).optional(),
    startedAt: timestamp,
    completedAt: timestamp,
  });

export type ErrorBody = z.infer<typeof errorBody>;
export type Paged<T> = { results: T[]; total?: number; paging?: { next?: { after: string } } };

/**
 * `associations` of a v3 create (SimplePublicObjectInputForCreate): records to associate the new
 * one with, each by id and HubSpot-defined type ids (the type id names the other object type).
 */
export const createAssociations = z.array(
  z.object({
    to: z.object({ id: z.union([z.string().min(1), z.number()]).transform(String) }),
    types: z.array(z.object({ associationCategory: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']), associationTypeId: z.number().int() })).min(1),
  }),
);
