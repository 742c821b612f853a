import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { replyAsContact } from '../../services/dev-mail.js';
import type { AppContext } from '../context.js';
import { parse } from '../validate.js';

const replyBody = z.object({
  messageId: z.string().min(3).max(998),
  text: z.string().min(1).max(100_000),
  auto: z.boolean().default(false),
});

/** The dev inbox can answer as the contact, so a zero-config install demonstrates replies. */
export function registerInboundRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  app.post('/seqflow/v1/dev-mail/reply', async (req) => {
    const { messageId, result } = await replyAsContact(deps, parse(replyBody, req.body, 'body'));
    return {
      messageId,
      classification: result.kind,
      contactId: result.contactId && String(result.contactId),
      enrollmentId: result.enrollmentId && String(result.enrollmentId),
      ...(result.quarantined && { quarantined: result.quarantined }),
    };
  });

  app.get('/seqflow/v1/dev-mail/inboxes', async () => {
    const rows = await deps.db.kysely.selectFrom('dev_mail_messages').select(['to_addresses']).execute();
    const counts = new Map<string, number>();
    for (const r of rows) for (const a of JSON.parse(r.to_addresses) as string[]) counts.set(a, (counts.get(a) ?? 0) + 1);
    return { results: [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([address, messages]) => ({ address, messages })) };
  });
}
