/** Abuse complaints: ARF feedback reports (RFC 5965) and Microsoft JMRP. */
import type { ParsedMail } from 'mailparser';
import { addressesOf, normalizeAddress } from './addresses.js';
import { rawHeaderField } from './header-blocks.js';
import { attachmentsOf, attachmentText, attachmentType, textOf } from './mail-parts.js';
import { originalMessage } from './original-message.js';
import { contentType, hasHeader, header } from './safe-read.js';
import type { Classification, ClassifierFacts } from './types.js';

/** A `complaint` with the original message and recipient when they can be found, or null when the message is no complaint. */
export function classifyComplaint(mail: ParsedMail, facts: ClassifierFacts, subject: string): Classification | null {
  const ct = contentType(mail);
  const reportType = (ct.params['report-type'] ?? '').toLowerCase();
  const parts = attachmentsOf(mail).filter((a) => attachmentType(a) === 'message/feedback-report');
  // Microsoft JMRP complaints are multipart/mixed, from staff@hotmail.com, "complaint about message
  // from <ip>", with the recipient in X-HmXmrOriginalRecipient of the attached message.
  const jmrp =
    hasHeader(mail, 'x-hmxmroriginalrecipient') ||
    (/^\s*complaint about message from\b/i.test(subject) && addressesOf(mail, 'from').some((a) => /^staff@(hotmail|outlook|live|msn)\.com$/.test(a)));
  const isArf = (ct.value === 'multipart/report' && reportType.includes('feedback-report')) || parts.length > 0 || jmrp;
  if (!isArf) return null;
  const text = textOf(mail);
  let recipient: string | null = jmrp ? normalizeAddress(header(mail, 'x-hmxmroriginalrecipient')) : null;
  for (const p of parts) {
    const raw = attachmentText(p);
    for (const name of ['original-rcpt-to', 'removal-recipient']) {
      const v = rawHeaderField(raw, name);
      recipient ??= v ? normalizeAddress(v) : null;
    }
  }
  if (!recipient) {
    const m = /^[ \t]*(?:Original-Rcpt-To|Removal-Recipient|X-HmXmrOriginalRecipient)[ \t]*:[ \t]*(.+)$/im.exec(
      [text, ...attachmentsOf(mail).filter((x) => attachmentType(x) === 'message/rfc822').map(attachmentText)].join('\n'),
    );
    recipient = m ? normalizeAddress(m[1]) : null;
  }
  const original = originalMessage(mail, facts, text);
  return { kind: 'complaint', originalMessageId: original.messageId, recipient: recipient ?? original.recipient };
}
