/** Delivery status notifications and non-RFC bounces: a permanent `bounce`, a `delay`, or a mail-system `other`. */
import type { ParsedMail } from 'mailparser';
import { addressesOf, EMAIL_RE, normalizeAddress } from './addresses.js';
import { BOUNCE_SENDER_RE, bounceShape } from './bounce-shape.js';
import { dsnRecipients, enhancedStatus, refineStatus, type DsnRecipient } from './dsn-fields.js';
import { attachmentsOf, attachmentText, attachmentType, textOf } from './mail-parts.js';
import { DSN_FRAGMENT_RE, EXPIRED_RE, findCodeInText, lineMatching, noticeText, PERMANENT_STATEMENT_RE } from './notice-text.js';
import { originalMessage } from './original-message.js';
import { contentType, header, safeCall } from './safe-read.js';
import type { Classification, ClassifierFacts } from './types.js';

/** The delivery outcome a notice reports, or null when the message is no delivery notice (the other checks go on). */
export function classifyDelivery(mail: ParsedMail, facts: ClassifierFacts, subject: string): Classification | null {
  const ct = contentType(mail);
  const reportType = (ct.params['report-type'] ?? '').toLowerCase();
  const atts = attachmentsOf(mail);
  const dsnParts = atts.filter((a) => /^message\/(global-)?delivery-status$/.test(attachmentType(a)));
  const isDsnReport = ct.value === 'multipart/report' && reportType.includes('delivery-status');
  const text = textOf(mail);
  const structural = isDsnReport || dsnParts.length > 0;
  let shape = structural ? 'strong' : bounceShape(mail, subject);
  const fromEnrolled = addressesOf(mail, 'from').some((a) => safeCall(facts?.isEnrolledAddress, a));
  // An enrolled contact wrote it (say from postmaster@ of a small company, or with the subject "Not
  // delivered?"): a person, unless the message carries a real SMTP code.
  if (!structural && fromEnrolled) shape = shape === 'strong' ? 'weak' : null;
  // A bare delivery-status fragment (per-recipient DSN fields, unquoted) in a message from no contact.
  if (shape !== 'strong' && !fromEnrolled && DSN_FRAGMENT_RE.every((re) => re.test(text))) shape = 'strong';
  if (!shape) return null;
  const strong = shape === 'strong';

  const recipients = dsnRecipients(dsnParts.map(attachmentText).join('\n\n'));
  // mailparser folds message/delivery-status into `text` unless keepDeliveryStatus is set.
  if (!recipients.some((r) => r.status)) recipients.push(...dsnRecipients(text));
  // A notice that forwards the DSN of another MTA as an attached message.
  if (strong && !recipients.some((r) => r.status)) {
    for (const a of atts) {
      if (/^message\/(rfc822|global)$/.test(attachmentType(a))) recipients.push(...dsnRecipients(attachmentText(a)));
    }
  }
  const original = originalMessage(mail, facts, text);
  const xFailed = normalizeAddress(header(mail, 'x-failed-recipients'));
  const recipientOf = (r: DsnRecipient | undefined): string | null =>
    r?.originalRecipient ?? r?.finalRecipient ?? xFailed ?? original.recipient;

  const failed = recipients.find((r) => r.status?.startsWith('5'));
  if (failed) {
    return {
      kind: 'bounce',
      permanent: true,
      status: refineStatus(failed.status as string, failed.diagnostic),
      failedRecipient: recipientOf(failed),
      originalMessageId: original.messageId,
      diagnostic: failed.diagnostic,
    };
  }
  // Given up (Action: failed) with a 4.x.x status while the remote server answered 5.x.x.
  const givenUp = recipients.find((r) => r.action === 'failed' && r.diagnostic && enhancedStatus(r.diagnostic)?.startsWith('5'));
  if (givenUp) {
    return {
      kind: 'bounce',
      permanent: true,
      status: enhancedStatus(givenUp.diagnostic ?? '') as string,
      failedRecipient: recipientOf(givenUp),
      originalMessageId: original.messageId,
      diagnostic: givenUp.diagnostic,
    };
  }
  const delayed = recipients.find((r) => r.status?.startsWith('4') || r.action === 'delayed');
  if (delayed) {
    return {
      kind: 'delay',
      status: refineStatus(delayed.status ?? '4.0.0', delayed.diagnostic),
      failedRecipient: recipientOf(delayed),
      originalMessageId: original.messageId,
    };
  }
  const succeeded = recipients.find((r) => r.status?.startsWith('2') || /^(delivered|relayed|expanded)$/.test(r.action ?? ''));
  if (succeeded) return { kind: 'other' };

  // No usable DSN fields: read the SMTP transcript / prose of the notice.
  const notice = noticeText(text);
  const diag = recipients.find((r) => r.diagnostic)?.diagnostic ?? null;
  const where = [diag ?? '', notice].join('\n');
  const hard = findCodeInText(where, '5', !strong);
  if (hard) {
    return {
      kind: 'bounce',
      permanent: true,
      status: hard.status,
      failedRecipient: recipientOf(recipients[0]) ?? addressNear(notice, hard.line, mail),
      originalMessageId: original.messageId,
      diagnostic: diag ?? hard.line,
    };
  }
  const soft = findCodeInText(where, '4', !strong);
  const expired = strong ? lineMatching(notice, EXPIRED_RE) : null;
  const delaySubject = /delay|retry|retried|could not send|not yet (?:been )?delivered|still trying/i.test(subject);
  if (soft || expired || delaySubject) {
    return {
      kind: 'delay',
      status: soft?.status ?? (expired ? '4.4.7' : '4.0.0'),
      failedRecipient: recipientOf(recipients[0]) ?? addressNear(notice, soft?.line ?? expired ?? '', mail),
      originalMessageId: original.messageId,
    };
  }
  // The mail system says in words that it gave up for good, without a code (Exim, qmail, Gmail…).
  const permanentWords = strong ? lineMatching(notice, PERMANENT_STATEMENT_RE) : null;
  if (permanentWords) {
    return {
      kind: 'bounce',
      permanent: true,
      status: '5.0.0',
      failedRecipient: recipientOf(recipients[0]) ?? addressNear(notice, permanentWords, mail),
      originalMessageId: original.messageId,
      diagnostic: diag ?? permanentWords,
    };
  }
  // A mail-system notice without a code, or a success notice: never a reply, never a hard bounce.
  // A message that only has a bounce-like subject goes on to the other checks.
  return strong ? { kind: 'other' } : null;
}

/** An address on the SMTP line or, failing that, the first one in the notice that is not ours/the daemon's. */
function addressNear(notice: string, line: string, mail: ParsedMail): string | null {
  const own = new Set([...addressesOf(mail, 'from'), ...addressesOf(mail, 'to')]);
  const pick = (s: string): string | null => {
    for (const a of s.match(new RegExp(EMAIL_RE.source, 'g')) ?? []) {
      const lower = a.toLowerCase();
      if (!own.has(lower) && !BOUNCE_SENDER_RE.test(lower)) return lower;
    }
    return null;
  };
  return pick(line) ?? pick(notice.slice(0, 8192));
}
