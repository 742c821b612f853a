import type { FastifyInstance } from 'fastify';
import { templates as schemas } from '../../schemas/index.js';
import { snippets } from '../../services/snippets.js';
import type { AppContext } from '../context.js';
import { registerLibraryRoutes } from './library-items.js';

export function registerSnippetRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerLibraryRoutes(app, ctx, '/seqflow/v1/snippets', snippets, { body: schemas.snippetBody, patch: schemas.snippetPatch });
}
