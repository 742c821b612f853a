import type { FastifyInstance } from 'fastify';
import { bulkEnrollFromList } from '../../services/bulk-enroll.js';
import { rejectionText } from '../../domain/reasons.js';
import type { AppContext } from '../context.js';
import { lists } from '../../schemas/index.js';
import { parse } from '../validate.js';

/** Bulk enroll from a list (issue #13), with a preview that writes nothing. */
export function registerBulkEnrollRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  app.post('/seqflow/v1/lists/:listId/enroll', async (req) => {
    const { listId } = parse(lists.listIdParam, req.params, 'path');
    const body = parse(lists.bulkEnrollBody, req.body, 'body');
    const results = await bulkEnrollFromList(
      deps,
      {
        listId,
        sequenceId: body.sequenceId,
        senderUserId: body.userId,
        senderEmail: body.senderEmail,
        enrolledByUserId: req.principal?.userId ?? body.userId,
        // A script sends a token; the web app signs in with its session cookie.
        source: req.headers.authorization ? 'API' : 'UI',
      },
      { preview: body.preview },
    );
    return {
      preview: body.preview,
      listId: String(listId),
      sequenceId: String(body.sequenceId),
      enrolled: results.filter((r) => r.outcome !== 'SKIPPED').length,
      skipped: results.filter((r) => r.outcome === 'SKIPPED').length,
      results: results.map((r) => ({
        contactId: String(r.contactId),
        email: r.email,
        outcome: r.outcome,
        ...(r.reason && { reason: r.reason, message: rejectionText(r.reason) }),
        ...(r.enrollmentId !== undefined && { enrollmentId: String(r.enrollmentId) }),
      })),
    };
  });
}
