import { z } from 'zod';
import { collection, cursor, id, numericId, pathId, results, timestamp } from './common.js';

/** Templates and snippets (issue #14 item 1): the library reps write sequence emails from. */

const name = z.string().trim().min(1).max(200);
const folder = z.string().trim().min(1).max(100).nullable().describe('A folder to file it under; null: none');
const shared = z.boolean().describe('true: the whole team sees it; false: only its owner');
const subject = z.string().max(998).describe('A Liquid template, as a step subject ({{ contact.firstname }})');
const body = z.string().min(1).max(200_000).describe('A Liquid template, as a step body');
const shortcut = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1 to 40 letters, digits, _ or -')
  .describe('Typed as #shortcut in the step editor; unique among live snippets, compared in lower case');
const ownerUserId = numericId.optional().describe("The owner; default the caller. An admin may name anyone; an API token that is no user's must");

// ---- requests --------------------------------------------------------------------------------

export const listQuery = z.object({
  q: z.string().trim().max(200).optional().describe('Matches name, subject and body (snippets: name, shortcut and body), ignoring case'),
  folder: z.string().optional(),
  ownerId: numericId.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(100),
  after: cursor,
});
/** A kind's create and patch bodies: the library's common fields and the kind's own. */
const bodies = <S extends z.ZodRawShape>(own: S) => ({
  body: z.object({ name, ...own, body, folder: folder.default(null), shared: shared.default(false), ownerUserId }).strict(),
  patch: z.object({ name, ...own, body, folder, shared }).partial().strict(),
});
const templateBodies = bodies({ subject });
const snippetBodies = bodies({ shortcut });
export const templateBody = templateBodies.body;
export const templatePatch = templateBodies.patch;
export const snippetBody = snippetBodies.body;
export const snippetPatch = snippetBodies.patch;
export const itemParam = z.object({ id: pathId });

// ---- responses -------------------------------------------------------------------------------

const stamps = { createdAt: timestamp, updatedAt: timestamp };
const item = <S extends z.ZodRawShape>(own: S) => z.object({ id, ownerUserId: id, name: z.string(), ...own, body: z.string(), folder: z.string().nullable(), shared: z.boolean(), ...stamps });
export const template = item({ subject: z.string() });
export const snippet = item({ shortcut: z.string() });
export const templates = collection(template);
export const snippets = collection(snippet);
export const folders = results(z.string());

export type Template = z.infer<typeof template>;
export type Snippet = z.infer<typeof snippet>;
