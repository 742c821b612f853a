import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Viewer } from '../../domain/template-library.js';
import type { libraryService } from '../../services/library-items.js';
import type { LibraryFields, LibraryItem } from '../../services/library-items.js';
import type { AppContext } from '../context.js';
import { templates } from '../../schemas/index.js';
import { iso, parse } from '../validate.js';

/** The caller: the auth hook always sets a principal on these routes. */
const viewer = (req: FastifyRequest): Viewer => ({ admin: req.principal?.admin ?? false, userId: req.principal?.userId ?? null });

const view = <E extends string>(x: LibraryItem<E>) => ({ ...x, id: String(x.id), ownerUserId: String(x.ownerUserId), createdAt: iso(x.createdAt), updatedAt: iso(x.updatedAt) });

/** One more than asked for tells whether there is a next page. */
function page<E extends string>(rows: LibraryItem<E>[], limit: number) {
  return { results: rows.slice(0, limit).map(view), ...(rows.length > limit && { paging: { next: { after: String(rows[limit - 1].id) } } }) };
}

/** A library kind's routes under `base` (issue #14 item 1): someone else's private item answers 404, as if it did not exist. */
export function registerLibraryRoutes<E extends string>(
  app: FastifyInstance,
  ctx: AppContext,
  base: string,
  service: ReturnType<typeof libraryService<E>>,
  schemas: { body: z.ZodType<LibraryFields<E> & { ownerUserId?: number }>; patch: z.ZodType<Partial<LibraryFields<E>>> },
): void {
  const { deps } = ctx;
  app.get(base, async (req) => {
    const q = parse(templates.listQuery, req.query, 'query');
    return page(await service.list(deps, viewer(req), { ...q, limit: q.limit + 1 }), q.limit);
  });
  app.get(`${base}/folders`, async (req) => ({ results: await service.folders(deps, viewer(req)) }));
  app.post(base, async (req, reply) => {
    const b = parse(schemas.body, req.body, 'body');
    return reply.status(201).send(view(await service.create(deps, viewer(req), b)));
  });
  app.get(`${base}/:id`, async (req) => {
    const { id } = parse(templates.itemParam, req.params, 'path');
    return view(await service.get(deps, viewer(req), id));
  });
  app.patch(`${base}/:id`, async (req) => {
    const { id } = parse(templates.itemParam, req.params, 'path');
    return view(await service.update(deps, viewer(req), id, parse(schemas.patch, req.body, 'body')));
  });
  app.delete(`${base}/:id`, async (req, reply) => {
    const { id } = parse(templates.itemParam, req.params, 'path');
    await service.remove(deps, viewer(req), id);
    return reply.status(204).send();
  });
}
