/**
 * Reading the prose of a bounce notice that has no usable DSN fields: SMTP codes with the wording
 * around them, and statements that a failure is permanent or that the message expired in a queue.
 */
import { ENHANCED_RE_G } from './dsn-fields.js';
import { clip } from './safe-read.js';

/** Phrases saying that delivery failed for good (used with a basic 5xx reply code). */
const FAILURE_PHRASE_RE =
  /(permanent(?:ly)?|could not be delivered|couldn't be delivered|was not delivered|wasn't delivered|undeliverable|not be delivered|delivery (?:has )?failed|delivery to the following recipients? failed|user unknown|unknown user|no such (?:user|mailbox|address|recipient)|does not exist|doesn't exist|mailbox (?:unavailable|not found|is full|full|disabled)|recipient (?:address )?rejected|address rejected|invalid (?:recipient|address|mailbox)|account (?:has been )?(?:disabled|suspended|deactivated)|rejected|refused|denied|failed|not found|not allowed|quota)/i;

/** Phrases of a delay / still-retrying notice. */
const DELAY_PHRASE_RE =
  /(delayed|delay|will (?:continue to )?(?:retry|be retried|try)|still (?:being )?(?:retried|trying)|has not (?:yet )?been delivered|not yet been delivered|temporar(?:y|ily)|deferred)/i;

/** The text of the notice that explains the failure, without the quoted original message. */
export function noticeText(text: string): string {
  const cut = text.search(
    /^[ \t]*(?:-+[ \t]*(?:original message|undelivered message|returned message|this is a copy of the message|the header of the original message|headers of the original message|message headers follow)|(?:original message follows|below this line is a copy|this is a copy of the message))/im,
  );
  return cut > 0 ? text.slice(0, cut) : text;
}

export interface CodeHit {
  status: string;
  line: string;
}

const REPLY_CODE_RE = { '5': /(?<![\w./-])5[0-5]\d(?=[\s:;,)\]-]|$)/, '4': /(?<![\w./-])4[2-5]\d(?=[\s:;,)\]-]|$)/ } as const;
/** Words that put an enhanced status code in an SMTP / DSN context. */
const SMTP_CONTEXT_RE = /(?<![\w.])[245]\d\d(?![\w.])|status|smtp|said|diagnostic|remote|server|host|error|reason|response/i;

/**
 * A 5.x.x / 4.x.x enhanced status code, or a 5xx / 4xx reply code next to failure (delay) wording,
 * in the text, with its line. Enhanced codes win over basic reply codes. With `strict`, an enhanced
 * code also needs SMTP wording or failure (delay) wording on its line or the lines around it.
 */
export function findCodeInText(text: string, cls: '5' | '4', strict: boolean): CodeHit | null {
  const lines = clip(text, 128 * 1024).split(/\r\n|\r|\n/);
  const phraseRe = cls === '5' ? FAILURE_PHRASE_RE : DELAY_PHRASE_RE;
  const around = (i: number) => [lines[i - 1] ?? '', lines[i], lines[i + 1] ?? ''].join(' ');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    ENHANCED_RE_G.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = ENHANCED_RE_G.exec(line)) !== null) {
      if (m[1] !== cls) continue;
      if (strict && !(SMTP_CONTEXT_RE.test(line.replace(m[0], ' ')) && phraseRe.test(around(i)))) continue;
      return { status: `${m[1]}.${m[2]}.${m[3]}`, line: line.trim().slice(0, 1000) };
    }
  }
  for (let i = 0; i < lines.length; i++) {
    if (REPLY_CODE_RE[cls].test(lines[i]) && phraseRe.test(around(i))) {
      return { status: `${cls}.0.0`, line: lines[i].trim().slice(0, 1000) };
    }
  }
  return null;
}

/** A mail system saying in words that the failure is permanent (Exim, qmail, Gmail, sendmail…). */
export const PERMANENT_STATEMENT_RE =
  /(this is a permanent error|permanent (?:fatal )?(?:error|failure|delivery error)s?|failed permanently|permanently (?:failed|rejected|undeliverable)|returned permanent errors)/i;

/** Per-recipient DSN fields at the start of a line, as in a `message/delivery-status` body. */
export const DSN_FRAGMENT_RE = [/^(?:Final|Original)-Recipient:[ \t]*[\w-]+[ \t]*;/im, /^Action:[ \t]*(?:failed|delayed)\b/im, /^Status:[ \t]*[245]\.\d{1,3}\.\d{1,3}/im];

/** A message given up after its queue lifetime (a transient failure that never cleared): not a hard bounce. */
export const EXPIRED_RE =
  /(retry timeout exceeded|have been failing for a long time|(?:been )?in the queue too long|too long in (?:the )?queue|could not be delivered (?:with)?in \d+|cannot send message for \d+ days?|message expired|queue lifetime|delivery time expired|retry time (?:not reached|exceeded))/i;

export function lineMatching(text: string, re: RegExp): string | null {
  for (const line of text.split(/\r\n|\r|\n/)) if (re.test(line)) return line.trim().slice(0, 1000);
  return null;
}
