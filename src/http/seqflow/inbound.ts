import type { FastifyInstance } from 'fastify';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { z } from 'zod';
import { inboxForAddress } from '../../domain/enrollment-checks.js';
import { SeqflowError, notFound } from '../../services/errors.js';
import { storeDevMail } from '../../services/dev-mail.js';
import { handleInboundMessage } from '../../services/handle-inbound-message.js';
import { parseReceivedMail } from '../../mail/dev-mail-server.js';
import type { AppContext } from '../context.js';
import { parse } from '../validate.js';
import { listConnectedInboxes } from '../../store/inboxes.js';

const replyBody = z.object({
  messageId: z.string().min(3).max(998),
  text: z.string().min(1).max(100_000),
  auto: z.boolean().default(false),
});

const addressOf = (header: string): string => (/<([^>]+)>/.exec(header)?.[1] ?? header).trim().toLowerCase();

/** The dev inbox can answer as the contact, so a zero-config install demonstrates replies. */
export function registerInboundRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  app.post('/seqflow/v1/dev-mail/reply', async (req) => {
    const body = parse(replyBody, req.body, 'body');
    const id = body.messageId.startsWith('<') ? body.messageId : `<${body.messageId}>`;
    const original = await deps.db.kysely.selectFrom('dev_mail_messages').selectAll().where('message_id', '=', id).executeTakeFirst();
    if (!original) throw notFound('Dev mail message', body.messageId);
    const senderAddress = addressOf(original.from_address);
    const contactAddress = (JSON.parse(original.to_addresses) as string[])[0];
    const inbox = inboxForAddress(await listConnectedInboxes(deps.db.kysely), senderAddress);
    if (!inbox) throw new SeqflowError(400, 'VALIDATION_ERROR', `No connected inbox sends from ${senderAddress}.`);
    const subject = body.auto ? `Automatic reply: ${original.subject}` : `Re: ${original.subject.replace(/^re:\s*/i, '')}`;
    const raw = await new MailComposer({
      from: contactAddress,
      to: senderAddress,
      subject,
      text: body.text,
      inReplyTo: id,
      references: [id],
      date: new Date(deps.clock.now()),
      headers: body.auto ? { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' } : {},
    })
      .compile()
      .build();
    // The reply shows in the dev inbox and goes through the same inbound path as IMAP mail.
    const received = await parseReceivedMail(raw, { envelope: { mailFrom: { address: contactAddress }, rcptTo: [{ address: senderAddress }] } } as never, deps.clock.now());
    await storeDevMail(deps, received);
    const result = await handleInboundMessage(deps, inbox, raw, `dev:${received.messageId ?? deps.clock.now()}`);
    return { messageId: received.messageId, classification: result.kind, contactId: result.contactId && String(result.contactId), enrollmentId: result.enrollmentId && String(result.enrollmentId) };
  });

  app.get('/seqflow/v1/dev-mail/inboxes', async () => {
    const rows = await deps.db.kysely.selectFrom('dev_mail_messages').select(['to_addresses']).execute();
    const counts = new Map<string, number>();
    for (const r of rows) for (const a of JSON.parse(r.to_addresses) as string[]) counts.set(a, (counts.get(a) ?? 0) + 1);
    return { results: [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([address, messages]) => ({ address, messages })) };
  });
}
