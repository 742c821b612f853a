import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Viewer } from '../../domain/template-library.js';
import { createSnippet, deleteSnippet, getSnippet, listSnippets, snippetFolders, updateSnippet, type Snippet } from '../../services/snippets.js';
import { createTemplate, deleteTemplate, getTemplate, listTemplates, templateFolders, updateTemplate, type Template } from '../../services/templates.js';
import type { AppContext } from '../context.js';
import { templates } from '../../schemas/index.js';
import { iso, parse } from '../validate.js';

const stamps = (x: { createdAt: number; updatedAt: number }) => ({ createdAt: iso(x.createdAt), updatedAt: iso(x.updatedAt) });
const templateView = (t: Template) => ({ id: String(t.id), ownerUserId: String(t.ownerUserId), name: t.name, subject: t.subject, body: t.body, folder: t.folder, shared: t.shared, ...stamps(t) });
const snippetView = (s: Snippet) => ({ id: String(s.id), ownerUserId: String(s.ownerUserId), name: s.name, shortcut: s.shortcut, body: s.body, folder: s.folder, shared: s.shared, ...stamps(s) });

/** The caller: the auth hook always sets a principal on these routes. */
const viewer = (req: FastifyRequest): Viewer => ({ admin: req.principal?.admin ?? false, userId: req.principal?.userId ?? null });

/** One more than asked for tells whether there is a next page. */
function page<T extends { id: number }, V>(rows: T[], limit: number, view: (r: T) => V) {
  return { results: rows.slice(0, limit).map(view), ...(rows.length > limit && { paging: { next: { after: String(rows[limit - 1].id) } } }) };
}

/** Templates and snippets (issue #14 item 1): someone else's private one answers 404, as if it did not exist. */
export function registerTemplateRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  const T = '/seqflow/v1/templates';
  app.get(T, async (req) => {
    const q = parse(templates.listQuery, req.query, 'query');
    return page(await listTemplates(deps, viewer(req), { ...q, limit: q.limit + 1 }), q.limit, templateView);
  });
  app.get(`${T}/folders`, async (req) => ({ results: await templateFolders(deps, viewer(req)) }));
  app.post(T, async (req, reply) => {
    const b = parse(templates.templateBody, req.body, 'body');
    return reply.status(201).send(templateView(await createTemplate(deps, viewer(req), b)));
  });
  app.get(`${T}/:id`, async (req) => {
    const { id } = parse(templates.itemParam, req.params, 'path');
    return templateView(await getTemplate(deps, viewer(req), id));
  });
  app.patch(`${T}/:id`, async (req) => {
    const { id } = parse(templates.itemParam, req.params, 'path');
    const b = parse(templates.templatePatch, req.body, 'body');
    return templateView(await updateTemplate(deps, viewer(req), id, b));
  });
  app.delete(`${T}/:id`, async (req, reply) => {
    const { id } = parse(templates.itemParam, req.params, 'path');
    await deleteTemplate(deps, viewer(req), id);
    return reply.status(204).send();
  });

  const S = '/seqflow/v1/snippets';
  app.get(S, async (req) => {
    const q = parse(templates.listQuery, req.query, 'query');
    return page(await listSnippets(deps, viewer(req), { ...q, limit: q.limit + 1 }), q.limit, snippetView);
  });
  app.get(`${S}/folders`, async (req) => ({ results: await snippetFolders(deps, viewer(req)) }));
  app.post(S, async (req, reply) => {
    const b = parse(templates.snippetBody, req.body, 'body');
    return reply.status(201).send(snippetView(await createSnippet(deps, viewer(req), b)));
  });
  app.get(`${S}/:id`, async (req) => {
    const { id } = parse(templates.itemParam, req.params, 'path');
    return snippetView(await getSnippet(deps, viewer(req), id));
  });
  app.patch(`${S}/:id`, async (req) => {
    const { id } = parse(templates.itemParam, req.params, 'path');
    const b = parse(templates.snippetPatch, req.body, 'body');
    return snippetView(await updateSnippet(deps, viewer(req), id, b));
  });
  app.delete(`${S}/:id`, async (req, reply) => {
    const { id } = parse(templates.itemParam, req.params, 'path');
    await deleteSnippet(deps, viewer(req), id);
    return reply.status(204).send();
  });
}
