import Fastify, { type FastifyInstance } from 'fastify';
import { installAuth } from './auth.js';
import type { AppContext } from './context.js';
import { installErrorHandling } from './errors.js';
import { installHttpMetrics, registerMetricsRoute } from './seqflow/metrics.js';

/**
 * A worker-only process has no API, yet its counters (its sends, its claims) live only in its
 * memory: `--metrics-port` serves them on GET /metrics alone, behind the same bearer tokens and
 * scope (`seqflow.metrics`) as the API's /metrics.
 */
export async function startMetricsServer(ctx: AppContext, o: { port: number; host: string }): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ logger: false });
  installErrorHandling(app);
  installAuth(app, ctx);
  installHttpMetrics(app, ctx.deps.metrics);
  registerMetricsRoute(app, ctx);
  await app.listen({ port: o.port, host: o.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  return { app, url: `http://${o.host}:${port}` };
}
