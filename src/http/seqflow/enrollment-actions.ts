import type { FastifyInstance } from 'fastify';
import { pauseEnrollment, resumeEnrollment } from '../../services/pause-resume.js';
import { checkUnsubscribeToken, unsubscribe } from '../../services/unsubscribe.js';
import { blockRecipient } from '../../services/contacts.js';
import { sendsOf } from '../../services/enrollments.js';
import type { AppContext } from '../context.js';
import { enrollmentView } from '../hubspot/enrollments.js';
import { enrollments } from '../../schemas/index.js';
import { idParam, parse } from '../validate.js';

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title>` +
  `<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}button{font:inherit;padding:.5rem 1rem}</style></head><body>${body}</body></html>`;

export function registerEnrollmentActionRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  app.post('/seqflow/v1/enrollments/:id/pause', async (req) => {
    const e = await pauseEnrollment(deps, parse(idParam, req.params, 'path').id);
    return enrollmentView(e, await sendsOf(deps, [e.id]));
  });
  app.post('/seqflow/v1/enrollments/:id/resume', async (req) => {
    const e = await resumeEnrollment(deps, parse(idParam, req.params, 'path').id);
    return enrollmentView(e, await sendsOf(deps, [e.id]));
  });
  app.post('/seqflow/v1/blocklist', async (req, reply) => {
    const body = parse(enrollments.blocklistBody, req.body, 'body');
    await blockRecipient(deps, body.kind, body.value);
    return reply.status(201).send(body);
  });

  // Public: the link in every email. GET shows a confirmation page (mail scanners prefetch
  // links, so GET never unsubscribes); POST is RFC 8058's one-click.
  app.get('/seqflow/v1/unsubscribe/:token', async (req, reply) => {
    const { token } = req.params as { token: string };
    checkUnsubscribeToken(deps, token);
    return reply
      .type('text/html; charset=utf-8')
      .send(page('Unsubscribe', `<h1>Unsubscribe</h1><p>Stop receiving these emails?</p><form method="post"><button type="submit">Unsubscribe</button></form>`));
  });
  // RFC 8058: the one-click POST SHOULD be multipart/form-data. Its body carries only
  // List-Unsubscribe=One-Click and the token is in the URL, so the body is read and dropped;
  // the parser lives in this scope alone, so JSON endpoints still answer multipart with a 415.
  void app.register(async (scope) => {
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (_req, _body, done) => done(null, undefined));
    scope.post('/seqflow/v1/unsubscribe/:token', async (req, reply) => {
      await unsubscribe(deps, (req.params as { token: string }).token);
      if (req.headers.accept?.includes('text/html')) {
        return reply.type('text/html; charset=utf-8').send(page('Unsubscribed', '<h1>You are unsubscribed</h1><p>You will not receive further emails from this sequence.</p>'));
      }
      return { status: 'unsubscribed' };
    });
  });
}
