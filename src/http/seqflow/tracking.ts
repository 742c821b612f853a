import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '../../services/errors.js';
import { CLICK_PATH, followClick, OPEN_PATH, recordOpen, type Requester } from '../../services/tracking.js';
import type { AppContext } from '../context.js';

/** A transparent 1×1 GIF: the whole answer to a pixel fetch, whatever the token. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
/** Each open and click must reach Seqflow, not a cache on the way. */
const NO_STORE = 'no-store, no-cache, must-revalidate, private';

const requester = (req: FastifyRequest): Requester => ({ userAgent: req.headers['user-agent'], ip: req.ip });

/** Public: the tracking pixel and link redirect of emails of sequences with tracking on (issue #14 item 3). */
export function registerTrackingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  app.get(`${OPEN_PATH}/:token.gif`, async (req, reply) => {
    // A HEAD or a bad token records nothing, but the mail client still gets its image.
    if (req.method === 'GET') await recordOpen(deps, (req.params as { token: string }).token, requester(req));
    return reply.header('cache-control', NO_STORE).type('image/gif').send(PIXEL);
  });
  app.get(`${CLICK_PATH}/:token`, async (req, reply) => {
    const url = await followClick(deps, (req.params as { token: string }).token, requester(req), req.method === 'GET');
    if (url === null) throw errors.trackedLinkInvalid();
    return reply.header('cache-control', NO_STORE).redirect(url, 302);
  });
}
