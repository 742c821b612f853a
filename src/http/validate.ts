import { z, ZodError } from 'zod';
import { zodToSeqflow } from './errors.js';

/** Parses input with a zod schema; a failure becomes a 400 naming each bad field. */
export function parse<T extends z.ZodType>(schema: T, data: unknown, where: 'body' | 'query' | 'path'): z.infer<T> {
  try {
    return schema.parse(data ?? (where === 'body' ? undefined : {}));
  } catch (err) {
    if (err instanceof ZodError) throw zodToSeqflow(err, where);
    throw err;
  }
}

/** Numeric ids arrive as path strings. */
export const idParam = z.object({ id: z.string().regex(/^\d+$/, 'must be a numeric id').transform(Number) });
export const numericId = z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'must be a numeric id').transform(Number)]);
/** Epoch ms as ISO-8601 with milliseconds and Z, which the HubSpot client parses with new Date(). */
export const iso = (ms: number): string => new Date(ms).toISOString();
