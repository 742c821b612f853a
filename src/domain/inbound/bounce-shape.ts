/** Whether a message without DSN structure comes from a mail system: its sender, name and subject. */
import type { ParsedMail } from 'mailparser';
import { addressesOf } from './addresses.js';
import { stripReplyPrefixes } from './reply-prefixes.js';
import { hasHeader, header } from './safe-read.js';

export const BOUNCE_SENDER_RE = /^(mailer-daemon|post_?master|mail-daemon|maildaemon|mailerdaemon|mail\.?delivery\.?(system|subsystem)|bounces?|mdaemon|nobody-bounce|double-bounce)(\+[^@]*)?@/i;
/** Display names of mail systems; enough on their own when they are the whole name or come with a bounce subject. */
const BOUNCE_NAME_RE = /mailer[- ]?daemon|mail deliver(?:y)? (?:system|subsystem|service)|postmaster|microsoft outlook|delivery status notification|mail administrator|internet mail delivery|ndr administrator|system administrator/i;
/** Tested against the trimmed From header. */
const DAEMON_NAME_RE = /^"?\s*(?:mailer[- ]?daemon|postmaster|mail delivery (?:system|subsystem))\s*"?$/i;

const BOUNCE_SUBJECT_RE = new RegExp(
  [
    'undeliver(?:ed|able)',
    'undelivered mail',
    'returned mail',
    'return(?:ed)? to sender',
    'delivery status notification',
    'delivery (?:failure|failed|problem|report|notification)',
    'mail delivery (?:failed|failure|problem|error|system)',
    'failure notice',
    'non[- ]?deliver(?:y|able)',
    'could not (?:be )?deliver',
    'message (?:not|could not be) delivered',
    'delivery has failed',
    'mail system error',
    'not delivered',
    'nondeliverable',
    'rejected:',
    'mail could not be delivered',
    'warning: could not send',
    'delayed mail',
    'delivery (?:delayed|delay)',
    'message delayed',
    'unzustellbar',
    'nicht zugestellt',
    'non remis',
    'non distribuable',
    'no se puede entregar',
    'no entregado',
    'non recapitabile',
    'onbestelbaar',
    'niedostarczalne',
    'nie dostarczono',
    'returned to sender',
    'mail delivery',
    'bounce',
    'hata bildirimi',
    '配信不能',
    'エラー',
    '未送达',
    '退信',
    'quota exceeded',
    'error sending your mail',
    'mail failure',
  ].join('|'),
  'i',
);

/**
 * How much a message looks like a non-RFC bounce: 'strong' when a mail system sent it (MAILER-DAEMON,
 * postmaster, `X-Failed-Recipients`), 'weak' when only the subject says so (a person could write
 * "Not delivered?"), null otherwise.
 */
export function bounceShape(mail: ParsedMail, subject: string): 'strong' | 'weak' | null {
  const from = addressesOf(mail, 'from');
  if (from.some((a) => BOUNCE_SENDER_RE.test(a))) return 'strong';
  if (hasHeader(mail, 'x-failed-recipients')) return 'strong';
  const subjectSays = BOUNCE_SUBJECT_RE.test(subject) && stripReplyPrefixes(subject) === subject;
  const fromText = header(mail, 'from');
  if (DAEMON_NAME_RE.test(fromText.trim())) return 'strong';
  if (subjectSays && BOUNCE_NAME_RE.test(fromText)) return 'strong';
  return subjectSays ? 'weak' : null;
}
