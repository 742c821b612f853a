import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from './context.js';
import { installAuth } from './auth.js';
import { installErrorHandling } from './errors.js';
import { registerContactRoutes } from './hubspot/contacts.js';
import { registerEnrollmentRoutes } from './hubspot/enrollments.js';
import { registerSequenceRoutes } from './hubspot/sequences.js';
import { registerUserRoutes } from './hubspot/users.js';
import { registerFlowRoutes } from './hubspot/flows.js';
import { registerFormAndMeetingRoutes } from './hubspot/forms-meetings.js';
import { registerInboundRoutes } from './seqflow/inbound.js';
import { registerInboxRoutes } from './seqflow/inboxes.js';
import { registerSystemRoutes } from './seqflow/system.js';
import { registerEnrollmentActionRoutes } from './seqflow/enrollment-actions.js';

/** The HTTP face: HubSpot-compatible routes and /seqflow/v1 extensions over the services. */
export function buildApp(ctx: AppContext, opts: { logger?: boolean } = {}): FastifyInstance {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 5 * 1024 * 1024,
    // The official client sends /crm/v3/owners/ and basePath joins may double a slash.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
  });
  installErrorHandling(app);
  // RFC 8058 one-click unsubscribes and hosted forms post url-encoded bodies.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  installAuth(app, ctx);
  registerSystemRoutes(app, ctx);
  registerUserRoutes(app, ctx);
  registerInboxRoutes(app, ctx);
  registerContactRoutes(app, ctx);
  registerSequenceRoutes(app, ctx);
  registerEnrollmentRoutes(app, ctx);
  registerEnrollmentActionRoutes(app, ctx);
  registerFlowRoutes(app, ctx);
  registerInboundRoutes(app, ctx);
  void app.register(async (scope) => registerFormAndMeetingRoutes(scope, ctx));
  return app;
}
