/**
 * Inbound mail classifier (PRODUCT §3.6, §6): decides whether a message that arrived in a sender's
 * inbox is a reply from a contact, an out-of-office / auto-reply, a delivery status notification
 * (permanent failure or delay), an ARF abuse complaint, or anything else.
 *
 * Pure: no I/O. The caller parses the raw message with mailparser's `simpleParser` — preferably with
 * {@link INBOUND_PARSER_OPTIONS} (parser-options.ts), though any options work — and passes look-ups
 * for "is this one of our Message-IDs" and "is this an enrolled contact's address (or alias)".
 *
 * Order of the checks (the first that matches wins):
 *   1. Delivery status notifications (delivery.ts, bounce-shape.ts, notice-text.ts):
 *      `multipart/report; report-type=delivery-status`, a `message/delivery-status` part (or DSN
 *      fields folded into `text`), or a non-RFC bounce: a mail system sender (MAILER-DAEMON,
 *      postmaster, `X-Failed-Recipients`) or a bounce subject ("Undelivered Mail Returned to
 *      Sender", "Delivery Status Notification (Failure)", "failure notice", "Mail delivery failed", …).
 *      - per-recipient `Status: 5.x.x` → `bounce` (a generic 5.0.0 is refined from Diagnostic-Code);
 *        `Action: failed` with a 4.x.x status but a 5.x.x Diagnostic-Code → `bounce`;
 *      - `Status: 4.x.x` or `Action: delayed` → `delay` (a 4.x.x given up after the queue lifetime
 *        is a `delay` too: never a hard bounce);
 *      - `Status: 2.x.x` / delivered / relayed → `other`;
 *      - no DSN fields: a 5.x.x code in the notice text, or a 5xx reply code next to a failure
 *        phrase → `bounce` (`5.0.0` when only the basic code is known); a 4.x.x / 4xx code with delay
 *        wording, "retry timeout exceeded" and the like, or a delay subject → `delay`; a mail system
 *        that says "This is a permanent error" / "failed permanently" without a code → `bounce` 5.0.0;
 *        anything else from a mail system → `other`.
 *      A mail-system notice is never a `reply`, even when its In-Reply-To names our message. When
 *      only the subject looks like a bounce (a person could write "Not delivered?"), a code in SMTP
 *      context is required, and a message from an enrolled address needs a real code.
 *   2. Complaints (complaint.ts): ARF (`report-type=feedback-report` / `message/feedback-report`)
 *      and Microsoft JMRP ("complaint about message from …", `X-HmXmrOriginalRecipient`) → `complaint`.
 *   3. Auto-replies (auto-reply.ts): `Auto-Submitted` other than `no`, `X-Autoreply`,
 *      `X-Autorespond`, `Precedence: auto_reply|bulk|junk`, a mailing-list robot (…-admin@,
 *      owner-…@ with list headers), or an out-of-office subject prefix in one of several languages.
 *      `X-Auto-Response-Suppress` alone is not a signal. This runs before the reply check, so an
 *      out-of-office answer threaded under our message stays an `auto_reply`.
 *   4. Replies (reply.ts): `In-Reply-To` or any `References` id that is ours → `reply` (thread);
 *      else a From address that is enrolled (or an alias) → `reply` (address).
 *   5. `other`.
 *
 * Never throws: malformed input, odd header shapes and throwing look-ups all end in a classification.
 * Text is scanned up to 256 KiB per part with linear-time patterns, so a huge or hostile message
 * costs milliseconds.
 */
import type { ParsedMail } from 'mailparser';
import { autoReplySignal } from './auto-reply.js';
import { classifyComplaint } from './complaint.js';
import { classifyDelivery } from './delivery.js';
import { classifyReply, replyContextOf } from './reply.js';
import { clip, header, isObject, str } from './safe-read.js';
import type { Classification, ClassifierFacts } from './types.js';

function classifyUnsafe(mail: ParsedMail, facts: ClassifierFacts): Classification {
  if (!isObject(mail)) return { kind: 'other' };
  const subject = clip(str((mail as { subject?: unknown }).subject) || header(mail, 'subject'), 2048);

  const delivery = classifyDelivery(mail, facts, subject);
  if (delivery) return delivery;

  const complaint = classifyComplaint(mail, facts, subject);
  if (complaint) return complaint;

  const context = replyContextOf(mail, facts);
  const signal = autoReplySignal(mail, subject);
  if (signal) return { kind: 'auto_reply', from: context.from[0] ?? '', inReplyTo: context.ours, signal };

  return classifyReply(context, facts);
}

/** Classifies a parsed inbound message. Pure and total: never throws. */
export function classifyInbound(mail: ParsedMail, facts: ClassifierFacts): Classification {
  try {
    return classifyUnsafe(mail, facts);
  } catch {
    return { kind: 'other' };
  }
}
