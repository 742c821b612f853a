import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from './context.js';
import { installAuth } from './auth.js';
import { frameworkErrors, installErrorHandling } from './errors.js';
import { installNulGuard } from './validate.js';
import { registerContactRoutes } from './hubspot/contacts.js';
import { registerEnrollmentRoutes } from './hubspot/enrollments.js';
import { registerSequenceRoutes } from './hubspot/sequences.js';
import { registerUserRoutes } from './hubspot/users.js';
import { registerFlowRoutes } from './hubspot/flows.js';
import { registerFormAndMeetingRoutes } from './hubspot/forms-meetings.js';
import { registerInboundRoutes } from './seqflow/inbound.js';
import { registerViewRoutes } from './seqflow/views.js';
import { registerSignInRoutes } from './seqflow/sign-in.js';
import { registerWebApp } from './web-app.js';
import fastifyCookie from '@fastify/cookie';
import { registerInboxRoutes } from './seqflow/inboxes.js';
import { registerSystemRoutes } from './seqflow/system.js';
import { registerEnrollmentActionRoutes } from './seqflow/enrollment-actions.js';
import { registerTrackingRoutes } from './seqflow/tracking.js';
import { installOpenApi } from './openapi.js';
import { registerTokenRoutes } from './seqflow/tokens.js';
import { installHttpMetrics, registerMetricsRoute } from './seqflow/metrics.js';
import { registerNotificationRoutes } from './seqflow/notifications.js';
import { registerHolidayRoutes } from './seqflow/holidays.js';
import { registerTemplateRoutes } from './seqflow/templates.js';
import { registerSnippetRoutes } from './seqflow/snippets.js';
import { registerScheduleRoutes } from './seqflow/schedules.js';
import { registerCompanyRoutes } from './hubspot/companies.js';
import { registerTaskRoutes } from './seqflow/tasks.js';
import { registerHubSpotTaskRoutes } from './hubspot/tasks.js';
import { registerAssociationRoutes } from './hubspot/associations.js';
import { registerPropertyRoutes } from './hubspot/properties.js';
import { registerListRoutes } from './hubspot/lists.js';
import { registerBulkEnrollRoutes } from './seqflow/bulk-enroll.js';
import { registerImportRoutes } from './hubspot/imports.js';
import { registerOAuthRoutes } from './seqflow/oauth.js';

/** The HTTP face: HubSpot-compatible routes and /seqflow/v1 extensions over the services. */
export function buildApp(ctx: AppContext, opts: { logger?: boolean } = {}): FastifyInstance {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 5 * 1024 * 1024,
    // The official client sends /crm/v3/owners/ and basePath joins may double a slash. Path ids
    // may be email addresses (idProperty=email), which run to 254 characters, past the default 100.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 320 },
    // Router errors (bad percent-encoding, over-long parameters) never reach setErrorHandler.
    frameworkErrors,
  });
  installErrorHandling(app);
  installNulGuard(app);
  // HubSpot's client sends Content-Type: application/json on every call, DELETEs and GETs
  // without a body included: an empty JSON body is no body, not an error.
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if ((body as string).trim() === '') return done(null, undefined);
    jsonParser(req, body as string, done);
  });
  // JSON endpoints answer text/plain with the same 415 as any other non-JSON type.
  app.removeContentTypeParser('text/plain');
  // RFC 8058 one-click unsubscribes and hosted forms post url-encoded bodies.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  void app.register(fastifyCookie);
  installAuth(app, ctx);
  installHttpMetrics(app, ctx.deps.metrics);
  // Before any route: it collects them for /seqflow/v1/openapi.json and /docs.
  installOpenApi(app, ctx.version);
  registerSystemRoutes(app, ctx);
  registerMetricsRoute(app, ctx);
  registerNotificationRoutes(app, ctx);
  registerHolidayRoutes(app, ctx);
  registerTemplateRoutes(app, ctx);
  registerSnippetRoutes(app, ctx);
  registerScheduleRoutes(app, ctx);
  registerUserRoutes(app, ctx);
  registerInboxRoutes(app, ctx);
  registerTokenRoutes(app, ctx);
  registerContactRoutes(app, ctx);
  registerSequenceRoutes(app, ctx);
  registerEnrollmentRoutes(app, ctx);
  registerEnrollmentActionRoutes(app, ctx);
  registerTrackingRoutes(app, ctx);
  registerTaskRoutes(app, ctx);
  registerHubSpotTaskRoutes(app, ctx);
  registerFlowRoutes(app, ctx);
  registerInboundRoutes(app, ctx);
  registerViewRoutes(app, ctx);
  registerCompanyRoutes(app, ctx);
  registerAssociationRoutes(app, ctx);
  registerPropertyRoutes(app, ctx);
  registerListRoutes(app, ctx);
  registerBulkEnrollRoutes(app, ctx);
  registerOAuthRoutes(app, ctx);
  void app.register(async (scope) => registerFormAndMeetingRoutes(scope, ctx));
  void app.register(async (scope) => registerSignInRoutes(scope, ctx));
  registerImportRoutes(app, ctx);
  void app.register(registerWebApp);
  return app;
}
