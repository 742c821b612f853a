import type { FastifyInstance } from 'fastify';
import { devInboxes, replyAsContact } from '../../services/dev-mail.js';
import { bounceAsRecipientServer } from '../../services/dev-mail-bounce.js';
import type { InboundResult } from '../../services/handle-inbound-message.js';
import type { AppContext } from '../context.js';
import { system } from '../../schemas/index.js';
import { parse } from '../validate.js';

const inboundView = ({ messageId, result }: { messageId: string | null; result: InboundResult }) => ({
  messageId,
  classification: result.kind,
  contactId: result.contactId && String(result.contactId),
  enrollmentId: result.enrollmentId && String(result.enrollmentId),
  ...(result.quarantined && { quarantined: result.quarantined }),
});

/** The dev inbox can answer as the contact or bounce as the contact's server, so a zero-config install demonstrates both. */
export function registerInboundRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  app.post('/seqflow/v1/dev-mail/reply', async (req) => inboundView(await replyAsContact(deps, parse(system.replyBody, req.body, 'body'))));
  app.post('/seqflow/v1/dev-mail/bounce', async (req) => inboundView(await bounceAsRecipientServer(deps, parse(system.bounceBody, req.body, 'body'))));

  app.get('/seqflow/v1/dev-mail/inboxes', async () => ({ results: await devInboxes(deps) }));
}
