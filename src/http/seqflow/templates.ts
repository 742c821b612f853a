import type { FastifyInstance } from 'fastify';
import { templates as schemas } from '../../schemas/index.js';
import { templates } from '../../services/templates.js';
import type { AppContext } from '../context.js';
import { registerLibraryRoutes } from './library-items.js';

export function registerTemplateRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerLibraryRoutes(app, ctx, '/seqflow/v1/templates', templates, { body: schemas.templateBody, patch: schemas.templatePatch });
}
