import crypto from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { inboxForAddress } from '../domain/enrollment-checks.js';
import type { Inbox } from '../domain/glossary.js';
import { parseReceivedMail, type ReceivedMail } from '../mail/dev-mail-server.js';
import { getDevMailByMessageId, insertDevMail, listDevMail, listDevMailRecipients } from '../store/dev-mail.js';
import { listConnectedInboxes } from '../store/inboxes.js';
import { toJson } from '../store/json.js';
import { putSetting } from '../store/tokens.js';
import type { Deps } from './deps.js';
import { errors } from './errors.js';
import { handleInboundMessage, type InboundResult } from './handle-inbound-message.js';

/** The settings key where the running dev mail server publishes its address to worker processes. */
export const DEV_SMTP_SETTING = 'dev_smtp_address';

export async function publishDevSmtpAddress(deps: Deps, address: { host: string; port: number }): Promise<void> {
  await putSetting(deps.db.kysely, DEV_SMTP_SETTING, toJson(address));
}

export async function storeDevMail(deps: Deps, mail: ReceivedMail): Promise<void> {
  await insertDevMail(deps.db.kysely, {
    messageId: mail.messageId,
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: mail.headers,
    raw: mail.raw,
    receivedAt: mail.receivedAt,
  });
}

/** What a message without a Message-ID is known by: its bytes, the same on every retry of the client. */
const devKey = (mail: ReceivedMail) => `dev:sha256:${crypto.createHash('sha256').update(mail.source).digest('hex')}`;

/**
 * A message the dev mail server accepted. Mail to a connected `dev` inbox is inbound mail to that
 * rep — a contact answering over SMTP — and goes through the same path as IMAP mail (replies end
 * enrollments; what cannot be read is quarantined). Everything is kept in the dev inbox as well.
 * Throws only while the message may yet be processed (the server then answers 451 and the client
 * retries); it is stored last, so a retry does not store it twice.
 */
export async function receiveDevMail(deps: Deps, mail: ReceivedMail): Promise<void> {
  const devInboxes = (await listConnectedInboxes(deps.db.kysely)).filter((i) => i.provider === 'dev');
  const addressed = new Map<number, Inbox>();
  for (const to of mail.to) {
    const inbox = inboxForAddress(devInboxes, to);
    if (inbox) addressed.set(inbox.id, inbox);
  }
  for (const inbox of addressed.values()) await handleInboundMessage(deps, inbox, mail.source, devKey(mail));
  await storeDevMail(deps, mail);
}

export const addressOf = (header: string): string => (/<([^>]+)>/.exec(header)?.[1] ?? header).trim().toLowerCase();

/**
 * Answers a message in the dev inbox as the contact it was sent to, so a zero-config install
 * demonstrates replies: the answer shows in the dev inbox and goes through the inbound path of the
 * inbox that sent the original, whatever its provider.
 */
export async function replyAsContact(deps: Deps, input: { messageId: string; text: string; auto: boolean }): Promise<{ messageId: string | null; result: InboundResult }> {
  const id = input.messageId.startsWith('<') ? input.messageId : `<${input.messageId}>`;
  const original = await getDevMailByMessageId(deps.db.kysely, id);
  if (!original) throw errors.devMailMessageNotFound({ id: input.messageId });
  const senderAddress = addressOf(original.from);
  const contactAddress = original.to[0];
  const inbox = inboxForAddress(await listConnectedInboxes(deps.db.kysely), senderAddress);
  if (!inbox) throw errors.noSendingInbox({ address: senderAddress });
  const subject = input.auto ? `Automatic reply: ${original.subject}` : `Re: ${original.subject.replace(/^re:\s*/i, '')}`;
  const raw = await new MailComposer({
    from: contactAddress,
    to: senderAddress,
    subject,
    text: input.text,
    inReplyTo: id,
    references: [id],
    date: new Date(deps.clock.now()),
    headers: input.auto ? { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' } : {},
  })
    .compile()
    .build();
  const received = await parseReceivedMail(raw, { from: contactAddress, to: [senderAddress] }, deps.clock.now());
  const result = await handleInboundMessage(deps, inbox, raw, received.messageId ?? devKey(received));
  await storeDevMail(deps, received);
  return { messageId: received.messageId, result };
}

export const listDevMessages = (deps: Deps, filter: { to?: string; from?: string; limit?: number }) =>
  listDevMail(deps.db.kysely, { ...filter, limit: Math.min(filter.limit ?? 100, 1000) });

/** The dev inbox's addresses, alphabetically, with how many caught messages each received. */
export async function devInboxes(deps: Deps): Promise<{ address: string; messages: number }[]> {
  const counts = new Map<string, number>();
  for (const a of await listDevMailRecipients(deps.db.kysely)) counts.set(a, (counts.get(a) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([address, messages]) => ({ address, messages }));
}
