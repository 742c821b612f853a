import type { FastifyInstance } from 'fastify';
import { finishOAuthConnect, listOAuthProviders, oauthStatusOf, startOAuthConnect } from '../../services/oauth-connect.js';
import { countWaitingForReconnect } from '../../services/oauth-incidents.js';
import { errors, SeqflowError } from '../../services/errors.js';
import type { AppContext } from '../context.js';
import { oauth } from '../../schemas/index.js';
import { idParam, parse } from '../validate.js';
import { requireSelfOrAdmin } from '../auth.js';
import { requireInboxOwnerOrAdmin } from './inboxes.js';

/** Connect and reconnect OAuth mailboxes (issue #16). */
export function registerOAuthRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  app.get('/seqflow/v1/oauth/providers', async () => ({ results: listOAuthProviders(deps) }));
  app.post('/seqflow/v1/users/:id/inboxes/oauth/:provider/start', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    // The mailbox's owner signs in at the provider: a rep connects and reconnects their own.
    requireSelfOrAdmin(req.principal, id);
    const { provider } = req.params as { provider: string };
    const body = parse(oauth.startBody, req.body ?? {}, 'body');
    return startOAuthConnect(deps, id, provider, { inboxId: body.inboxId === undefined ? undefined : Number(body.inboxId), aliases: body.aliases });
  });
  app.get('/seqflow/v1/inboxes/:id/oauth', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    await requireInboxOwnerOrAdmin(deps, req.principal, id);
    const status = await oauthStatusOf(deps, id);
    if (!status) throw errors.oauthNotOauthInbox({ id });
    return { ...status, waitingEnrollments: await countWaitingForReconnect(deps, id) };
  });
  // The provider sends the rep's browser here: the outcome goes back to the web app's inbox page,
  // a refusal in words the rep (or an admin) can act on.
  app.get('/oauth/:provider/callback', async (req, reply) => {
    const { provider } = parse(oauth.callbackParams, req.params, 'path');
    const back = new URL('/account', deps.config.publicUrl);
    try {
      const { inbox, reconnected } = await finishOAuthConnect(deps, provider, new URL(req.url, deps.config.publicUrl));
      back.searchParams.set('oauth', reconnected ? 'reconnected' : 'connected');
      back.searchParams.set('inbox', String(inbox.id));
    } catch (err) {
      if (!(err instanceof SeqflowError)) throw err;
      back.searchParams.set('oauth', 'failed');
      back.searchParams.set('code', err.errors?.[0]?.code ?? err.code);
      back.searchParams.set('message', err.message);
    }
    return reply.redirect(back.toString(), 302);
  });
}
