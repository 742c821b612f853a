import MimeNode from 'nodemailer/lib/mime-node/index.js';
import { inboxForAddress } from '../domain/enrollment-checks.js';
import { getDevMailByMessageId } from '../store/dev-mail.js';
import { listConnectedInboxes } from '../store/inboxes.js';
import { parseReceivedMail } from '../mail/dev-mail-server.js';
import type { Deps } from './deps.js';
import { addressOf, storeDevMail } from './dev-mail.js';
import { errors } from './errors.js';
import { handleInboundMessage, type InboundResult } from './handle-inbound-message.js';

const REPORTING_MTA = 'dev-mail.seqflow.local';

/**
 * Plays the recipient's mail server refusing a message the dev mail server holds: a real delivery
 * status notification (RFC 3464: multipart/report with a message/delivery-status part and the
 * original's headers) goes back to the sender's inbox through the same inbound path as IMAP mail.
 * Permanent → 5.1.1, the contact is marked bounced; temporary → 4.4.1, a delay on the timeline.
 */
export async function bounceAsRecipientServer(deps: Deps, input: { messageId: string; permanent: boolean }): Promise<{ messageId: string | null; result: InboundResult }> {
  const id = input.messageId.startsWith('<') ? input.messageId : `<${input.messageId}>`;
  const original = await getDevMailByMessageId(deps.db.kysely, id);
  if (!original) throw errors.devMailMessageNotFound({ id: input.messageId });
  const senderAddress = addressOf(original.from);
  const recipient = original.to[0];
  const inbox = inboxForAddress(await listConnectedInboxes(deps.db.kysely), senderAddress);
  if (!inbox) throw errors.noSendingInbox({ address: senderAddress, field: 'messageId' });

  const now = new Date(deps.clock.now());
  const [status, reply, action] = input.permanent
    ? ['5.1.1', `550 5.1.1 <${recipient}>: Recipient address rejected: User unknown in virtual mailbox table`, 'failed']
    : ['4.4.1', `451 4.4.1 <${recipient}>: Connection timed out, will keep trying`, 'delayed'];
  const report = new MimeNode('multipart/report; report-type=delivery-status');
  report.setHeader({
    From: `Mail Delivery System <MAILER-DAEMON@${REPORTING_MTA}>`,
    To: senderAddress,
    Subject: input.permanent ? 'Undelivered Mail Returned to Sender' : 'Delayed Mail (still being retried)',
    Date: now.toUTCString(),
    'Auto-Submitted': 'auto-replied',
    'Message-ID': `<dsn.${deps.clock.now()}.${Math.random().toString(36).slice(2)}@${REPORTING_MTA}>`,
  });
  report
    .createChild('text/plain')
    .setContent(
      input.permanent
        ? `This is the mail system at host ${REPORTING_MTA}.\n\nI'm sorry to have to inform you that your message could not be delivered to one or more recipients.\n\n<${recipient}>: host mx.${recipient.split('@')[1]} said: ${reply}\n`
        : `This is the mail system at host ${REPORTING_MTA}.\n\nYour message could not be delivered for a while. It will be retried until it is too old.\n\n<${recipient}>: ${reply}\n`,
    );
  report
    .createChild('message/delivery-status')
    .setContent(
      `Reporting-MTA: dns; ${REPORTING_MTA}\nArrival-Date: ${new Date(original.receivedAt).toUTCString()}\n\n` +
        `Final-Recipient: rfc822; ${recipient}\nOriginal-Recipient: rfc822;${recipient}\nAction: ${action}\nStatus: ${status}\n` +
        `Remote-MTA: dns; mx.${recipient.split('@')[1]}\nDiagnostic-Code: smtp; ${reply}\n`,
    );
  const headers = ['message-id', 'date', 'from', 'to', 'subject']
    .filter((h) => original.headers[h])
    .map((h) => `${h.replace(/(^|-)\w/g, (c) => c.toUpperCase()).replace('Message-Id', 'Message-ID')}: ${original.headers[h]}`)
    .join('\n');
  report.createChild('text/rfc822-headers').setContent(`${headers}\n`);
  const raw = await report.build();

  const received = await parseReceivedMail(raw, { from: '', to: [senderAddress] }, deps.clock.now());
  const result = await handleInboundMessage(deps, inbox, raw, received.messageId ?? `dev:dsn:${deps.clock.now()}`);
  await storeDevMail(deps, received);
  return { messageId: received.messageId, result };
}
