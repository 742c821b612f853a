import type { FastifyInstance } from 'fastify';
import { z, ZodError } from 'zod';
import { errors, type SeqflowError } from '../services/errors.js';
import { fieldPath, zodToSeqflow } from './errors.js';

/** Parses input with a zod schema; a failure becomes a 400 naming each bad field. */
export function parse<T extends z.ZodType>(schema: T, data: unknown, where: 'body' | 'query' | 'path'): z.infer<T> {
  try {
    return schema.parse(data ?? (where === 'body' ? undefined : {}));
  } catch (err) {
    if (!(err instanceof ZodError)) throw err;
    // Path parameters are ids: one that is not ours names nothing, as HubSpot answers it.
    if (where === 'path') throw pathNotFound(err, data);
    if (where === 'body' && data == null) {
      throw errors.bodyMissing();
    }
    throw zodToSeqflow(err, where);
  }
}

function pathNotFound(err: ZodError, params: unknown): SeqflowError {
  const key = err.issues[0]?.path[0];
  const raw = String((params as Record<PropertyKey, unknown> | undefined)?.[key ?? ''] ?? '');
  return errors.pathIdInvalid({ raw });
}

/** Ids, cursors and the like are shared with the web app: src/schemas/common.ts. */
export { MAX_ID, cursor, idParam, numericId, pathId } from '../schemas/common.js';

/** Epoch ms as ISO-8601 with milliseconds and Z, which the HubSpot client parses with new Date(). */
export const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * PostgreSQL text cannot hold U+0000 (the driver fails with 22021 and the request would be a 500),
 * so no string in a body, query or path may carry one, on any route, whatever the dialect.
 */
export function installNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    for (const [where, data] of [['body', req.body], ['query', req.query], ['path', req.params]] as const) {
      const at = findNul(data);
      if (at === null) continue;
      // Nothing is stored under such a name, so a path that holds one names nothing.
      if (where === 'path') throw errors.nulInPath();
      throw errors.nulInInput({ field: at.length ? fieldPath(at) : where });
    }
  });
}

/** The path of a string (value or key) holding U+0000, or null; iterative, as a body may nest thousands deep. */
function findNul(root: unknown): PropertyKey[] | null {
  type Node = { value: unknown; key: PropertyKey; parent: Node | null };
  const pathOf = (n: Node): PropertyKey[] => {
    const out: PropertyKey[] = [];
    for (let c: Node | null = n; c?.parent; c = c.parent) out.unshift(c.key);
    return out;
  };
  const stack: Node[] = [{ value: root, key: '', parent: null }];
  while (stack.length) {
    const node = stack.pop()!;
    const v = node.value;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return pathOf(node);
    } else if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) {
      for (const [k, child] of Object.entries(v)) {
        const next = { value: child, key: Array.isArray(v) ? Number(k) : k, parent: node };
        if (k.includes('\u0000')) return pathOf(next);
        stack.push(next);
      }
    }
  }
  return null;
}
