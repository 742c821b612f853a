import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../services/metrics.js';
import type { AppContext } from '../context.js';

/**
 * Times every request into `seqflow_http_request_duration_seconds`, labelled by the route
 * *template* the router matched (`/crm/v3/objects/contacts/:id`), never the raw URL: ids and
 * query strings would make a series per contact. Requests no route matched share `unmatched`;
 * the web app's catch-all (and an API 404 it answers) is `/*`.
 */
export function installHttpMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}

/** Prometheus's text format of this process's registry (scope `seqflow.metrics`; see the README). */
export function registerMetricsRoute(app: FastifyInstance, ctx: AppContext): void {
  const { registry } = ctx.deps.metrics;
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
}
