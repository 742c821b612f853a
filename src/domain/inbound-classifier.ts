/**
 * Inbound mail classifier (PRODUCT §3.6, §6): decides whether a message that arrived in a sender's
 * inbox is a reply from a contact, an out-of-office / auto-reply, a delivery status notification
 * (permanent failure or delay), an ARF abuse complaint, or anything else.
 *
 * Pure: no I/O. The caller parses the raw message with mailparser's `simpleParser` — preferably with
 * {@link INBOUND_PARSER_OPTIONS}, though any options work — and passes look-ups for "is this one of
 * our Message-IDs" and "is this an enrolled contact's address (or alias)".
 *
 * Order of the checks (the first that matches wins):
 *   1. Delivery status notifications: `multipart/report; report-type=delivery-status`, a
 *      `message/delivery-status` part (or DSN fields folded into `text`), or a non-RFC bounce: a mail
 *      system sender (MAILER-DAEMON, postmaster, `X-Failed-Recipients`) or a bounce subject
 *      ("Undelivered Mail Returned to Sender", "Delivery Status Notification (Failure)", "failure
 *      notice", "Mail delivery failed", …).
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
 *   2. Complaints: ARF (`report-type=feedback-report` / `message/feedback-report`) and Microsoft JMRP
 *      ("complaint about message from …", `X-HmXmrOriginalRecipient`) → `complaint`.
 *   3. Auto-replies: `Auto-Submitted` other than `no`, `X-Autoreply`, `X-Autorespond`,
 *      `Precedence: auto_reply|bulk|junk`, a mailing-list robot (…-admin@, owner-…@ with list
 *      headers), or an out-of-office subject prefix in one of several languages.
 *      `X-Auto-Response-Suppress` alone is not a signal. This runs before the reply check, so an
 *      out-of-office answer threaded under our message stays an `auto_reply`.
 *   4. Replies: `In-Reply-To` or any `References` id that is ours → `reply` (thread); else a From
 *      address that is enrolled (or an alias) → `reply` (address).
 *   5. `other`.
 *
 * Never throws: malformed input, odd header shapes and throwing look-ups all end in a classification.
 * Text is scanned up to 256 KiB per part with linear-time patterns, so a huge or hostile message
 * costs milliseconds.
 */
import type { Attachment, EmailAddress, HeaderValue, ParsedMail, SimpleParserOptions } from 'mailparser';
import { INBOUND_LIMITS } from './inbound-limits.js';

export interface ClassifierFacts {
  /** Message-IDs we sent ('<…>'), looked up by the caller: is this id ours? */
  isOurMessageId: (id: string) => boolean;
  /** Addresses (lower-case) of contacts currently enrolled, with their aliases, that this inbox sends to. */
  isEnrolledAddress: (address: string) => boolean;
}

export type Classification =
  /** `inReplyTo` is the id of our message this answers (thread match), null for an address match. */
  | { kind: 'reply'; from: string; inReplyTo: string | null; matchedBy: 'thread' | 'address' }
  /** `inReplyTo` is our Message-ID named in In-Reply-To/References, null when none is ours. */
  | { kind: 'auto_reply'; from: string; inReplyTo: string | null; signal: string }
  /**
   * A permanent delivery failure. `status` is an enhanced status code `5.x.x`; when the bounce only
   * gave a basic 5xx reply code it is `5.0.0` and the SMTP line is in `diagnostic`.
   */
  | {
      kind: 'bounce';
      permanent: true;
      status: string;
      failedRecipient: string | null;
      originalMessageId: string | null;
      diagnostic: string | null;
    }
  /** 4.x.x or `Action: delayed` — not a hard bounce (the message may still arrive or was given up on a transient error). */
  | { kind: 'delay'; status: string; failedRecipient: string | null; originalMessageId: string | null }
  /** ARF feedback report (RFC 5965). */
  | { kind: 'complaint'; originalMessageId: string | null; recipient: string | null }
  | { kind: 'other' };

export type ClassificationKind = Classification['kind'];

/**
 * The `simpleParser` options the classifier reads best: the `message/delivery-status` part stays an
 * attachment (so DSN fields are not mixed with the human-readable text), and every embedded
 * `message/rfc822` part stays an attachment with its full header, so the original Message-ID of a
 * bounce or complaint can be read. Any options work; these find more original Message-IDs.
 *
 * They also bound the parser's work on hostile input ({@link INBOUND_LIMITS}): part count and part
 * header size make it fail fast, long HTML is not converted to text, and nothing the classifier
 * never reads (checksums, inlined images, linkified text) is computed.
 */
export const INBOUND_PARSER_OPTIONS: Readonly<SimpleParserOptions> = Object.freeze({
  keepDeliveryStatus: true,
  ignoreEmbedded: true,
  maxChildNodes: INBOUND_LIMITS.maxParts,
  maxHeadSize: INBOUND_LIMITS.maxPartHeaderBytes,
  maxHtmlLengthToParse: INBOUND_LIMITS.maxHtmlChars,
  checksumAlgo: false,
  skipImageLinks: true,
  skipTextToHtml: true,
  skipTextLinks: true,
});

/** Longest piece of text the classifier scans (header blocks, DSN parts, body text). */
const MAX_SCAN = 256 * 1024;

// ---------------------------------------------------------------------------------------------
// Small safe helpers
// ---------------------------------------------------------------------------------------------

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function clip(s: string, max = MAX_SCAN): string {
  return s.length > max ? s.slice(0, max) : s;
}

function safeCall(fn: unknown, arg: string): boolean {
  if (typeof fn !== 'function') return false;
  try {
    return (fn as (a: string) => unknown)(arg) === true;
  } catch {
    return false;
  }
}

function headersOf(mail: ParsedMail): Map<string, HeaderValue> {
  const h = isObject(mail) ? (mail as { headers?: unknown }).headers : undefined;
  return h instanceof Map ? (h as Map<string, HeaderValue>) : new Map();
}

/** Any header value as a flat string (structured headers give their main value). */
function valueToString(v: unknown, depth = 0): string {
  if (depth > 4 || v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
  if (Array.isArray(v)) return v.map((x) => valueToString(x, depth + 1)).filter(Boolean).join(', ');
  if (isObject(v)) {
    if (typeof v.text === 'string') return v.text; // AddressObject
    if (typeof v.value === 'string') return v.value; // StructuredHeader
  }
  return '';
}

function header(mail: ParsedMail, name: string): string {
  try {
    return clip(valueToString(headersOf(mail).get(name)), 16 * 1024);
  } catch {
    return '';
  }
}

function hasHeader(mail: ParsedMail, name: string): boolean {
  try {
    return headersOf(mail).has(name);
  } catch {
    return false;
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** HTML to rough text in one linear pass: tags become spaces, block ends become line breaks. */
function stripTags(html: string): string {
  let out = '';
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      out += html.slice(i);
      break;
    }
    out += html.slice(i, lt);
    const gt = html.indexOf('>', lt + 1);
    if (gt < 0) {
      out += html.slice(lt);
      break;
    }
    const tag = html.slice(lt + 1, Math.min(gt, lt + 8)).toLowerCase();
    out += /^(br|\/p|\/div|\/tr|\/li|\/h\d|p\b|div)/.test(tag) ? '\n' : ' ';
    i = gt + 1;
  }
  return out;
}

/** The plain text of the message; for an HTML-only message parsed with `skipHtmlToText`, the HTML without tags. */
function textOf(mail: ParsedMail): string {
  const text = str((mail as { text?: unknown }).text);
  if (text.trim()) return clip(text);
  const html = str((mail as { html?: unknown }).html);
  if (!html) return '';
  return stripTags(clip(html))
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&amp;/gi, '&');
}

function attachmentsOf(mail: ParsedMail): Attachment[] {
  const a = isObject(mail) ? (mail as { attachments?: unknown }).attachments : undefined;
  return Array.isArray(a) ? (a.filter(isObject) as unknown as Attachment[]) : [];
}

function attachmentType(a: Attachment): string {
  return str(a.contentType).toLowerCase().trim();
}

function attachmentText(a: Attachment): string {
  try {
    const c: unknown = a.content;
    if (Buffer.isBuffer(c)) return c.subarray(0, MAX_SCAN).toString('utf8');
    if (typeof c === 'string') return clip(c);
  } catch {
    /* fall through */
  }
  return '';
}

function contentType(mail: ParsedMail): { value: string; params: Record<string, string> } {
  const v: unknown = headersOf(mail).get('content-type');
  const one: unknown = Array.isArray(v) ? v[0] : v;
  if (isObject(one) && typeof one.value === 'string') {
    const params: Record<string, string> = {};
    if (isObject(one.params)) {
      for (const [k, p] of Object.entries(one.params)) if (typeof p === 'string') params[k.toLowerCase()] = p;
    }
    return { value: one.value.toLowerCase().trim(), params };
  }
  const s = valueToString(one).toLowerCase();
  const params: Record<string, string> = {};
  const rt = /report-type\s*=\s*"?([\w-]+)/.exec(s);
  if (rt) params['report-type'] = rt[1];
  return { value: s.split(';')[0].trim(), params };
}

// ---------------------------------------------------------------------------------------------
// Addresses and Message-IDs
// ---------------------------------------------------------------------------------------------

/** An address in free text; the local part and labels are bounded so a long run without `@` stays linear. */
const EMAIL_RE = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?){0,20}/;

function normalizeAddress(s: string): string | null {
  const m = EMAIL_RE.exec(s);
  return m ? m[0].toLowerCase() : null;
}

function flattenAddresses(list: unknown, out: string[], depth = 0): void {
  if (depth > 4 || !Array.isArray(list)) return;
  for (const e of list as EmailAddress[]) {
    if (!isObject(e)) continue;
    if (typeof e.address === 'string' && e.address.includes('@')) out.push(e.address.trim().toLowerCase());
    if (Array.isArray(e.group)) flattenAddresses(e.group, out, depth + 1);
  }
}

/**
 * The lower-case mailbox addresses of an address header of the parsed mail (`from` by default;
 * also `to`, `cc`, `reply-to`, `sender`), groups flattened. Empty when the header is missing or
 * unparseable.
 */
export function addressesOf(
  mail: ParsedMail,
  field: 'from' | 'to' | 'cc' | 'reply-to' | 'sender' = 'from',
): string[] {
  try {
    const out: string[] = [];
    const v: unknown = headersOf(mail).get(field);
    const objs: unknown[] = Array.isArray(v) ? v : [v];
    for (const o of objs) {
      if (isObject(o) && Array.isArray(o.value)) flattenAddresses(o.value, out);
      else if (typeof o === 'string') {
        const a = normalizeAddress(o);
        if (a) out.push(a);
      }
    }
    if (out.length === 0 && field === 'from') {
      const from = (mail as { from?: unknown }).from;
      if (isObject(from)) flattenAddresses(from.value, out);
    }
    return [...new Set(out)];
  } catch {
    return [];
  }
}

const MSGID_RE = /<[^<>\s]{1,990}>/g;

/** Message-IDs (with angle brackets) in a header value; a bare `id@host` is wrapped in brackets. */
function messageIds(v: unknown): string[] {
  const s = clip(valueToString(v), 64 * 1024);
  if (!s) return [];
  const found = s.match(MSGID_RE);
  if (found && found.length > 0) return found;
  const out: string[] = [];
  for (const tok of s.split(/[\s,]+/)) {
    if (tok.includes('@') && tok.length <= 990 && !/[<>]/.test(tok)) out.push(`<${tok}>`);
  }
  return out;
}

function threadIds(mail: ParsedMail): string[] {
  const h = headersOf(mail);
  const irt = messageIds(str((mail as { inReplyTo?: unknown }).inReplyTo) || h.get('in-reply-to'));
  const refs = messageIds((mail as { references?: unknown }).references ?? h.get('references'));
  // In-Reply-To first, then References newest first (the last one is the parent).
  return [...new Set([...irt, ...refs.reverse()])];
}

function firstOurs(ids: string[], facts: ClassifierFacts): string | null {
  for (const id of ids.slice(0, 200)) if (safeCall(facts?.isOurMessageId, id)) return id;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Header blocks (DSN fields, embedded message headers)
// ---------------------------------------------------------------------------------------------

interface Field {
  name: string;
  value: string;
}

/** Unfolds RFC 5322 style field lines; returns groups separated by blank lines. */
function fieldGroups(text: string): Field[][] {
  const groups: Field[][] = [];
  let cur: Field[] = [];
  const lines = clip(text).split(/\r\n|\r|\n/);
  for (const line of lines) {
    if (line.trim() === '') {
      if (cur.length) groups.push(cur);
      cur = [];
      continue;
    }
    if (/^[ \t]/.test(line) && cur.length) {
      const last = cur[cur.length - 1];
      if (last.value.length < 4096) last.value += ' ' + line.trim();
      continue;
    }
    const m = /^\s*([A-Za-z][A-Za-z0-9-]{0,60})\s*:\s?(.*)$/.exec(line);
    if (m) cur.push({ name: m[1].toLowerCase(), value: m[2].trim() });
  }
  if (cur.length) groups.push(cur);
  return groups;
}

/** The first value of a header field in the header section of a raw message (or a header block). */
function rawHeaderField(raw: string, name: string): string | null {
  const head = raw.split(/\r?\n\r?\n|\r\r/, 1)[0] ?? '';
  for (const g of fieldGroups(head)) for (const f of g) if (f.name === name) return f.value;
  return null;
}

const ENHANCED_RE = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?!\d|\.\d)/;
const ENHANCED_RE_G = new RegExp(ENHANCED_RE.source, 'g');

function enhancedStatus(s: string): string | null {
  const m = ENHANCED_RE.exec(s);
  return m ? `${m[1]}.${m[2]}.${m[3]}` : null;
}

/** A generic `X.0.0` status made specific by the same-class code in the remote server's diagnostic. */
function refineStatus(status: string, diagnostic: string | null): string {
  if (!status.endsWith('.0.0') || !diagnostic) return status;
  const detailed = enhancedStatus(diagnostic);
  return detailed && detailed[0] === status[0] ? detailed : status;
}

function stripAddrType(v: string): string | null {
  // "rfc822; user@example.org", "RFC822;<user@example.org>", "user@example.org"
  const value = v.replace(/^\s*[A-Za-z0-9-]+\s*;/, '');
  return normalizeAddress(value);
}

interface DsnRecipient {
  finalRecipient: string | null;
  originalRecipient: string | null;
  action: string | null;
  status: string | null;
  diagnostic: string | null;
}

/** Per-recipient DSN fields (RFC 3464 §2.3) found in a `message/delivery-status` body or in text. */
function dsnRecipients(text: string): DsnRecipient[] {
  const out: DsnRecipient[] = [];
  for (const g of fieldGroups(text)) {
    let rec: DsnRecipient | null = null;
    const flush = () => {
      if (rec && (rec.status || rec.action)) out.push(rec);
      rec = null;
    };
    for (const f of g) {
      const r: DsnRecipient = (rec ??= {
        finalRecipient: null,
        originalRecipient: null,
        action: null,
        status: null,
        diagnostic: null,
      });
      switch (f.name) {
        case 'final-recipient':
          if (r.finalRecipient) {
            flush();
            rec = { finalRecipient: stripAddrType(f.value), originalRecipient: null, action: null, status: null, diagnostic: null };
          } else r.finalRecipient = stripAddrType(f.value);
          break;
        case 'original-recipient':
          r.originalRecipient ??= stripAddrType(f.value);
          break;
        case 'x-actual-recipient':
          r.finalRecipient ??= stripAddrType(f.value);
          break;
        case 'action':
          r.action ??= f.value.toLowerCase().split(/[\s;(]/)[0] || null;
          break;
        case 'status':
          r.status ??= enhancedStatus(f.value);
          break;
        case 'diagnostic-code':
          r.diagnostic ??= f.value.replace(/^\s*[A-Za-z0-9-]+\s*;\s*/, '').slice(0, 1000) || null;
          break;
        default:
          break;
      }
    }
    flush();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Bounce recognition
// ---------------------------------------------------------------------------------------------

const BOUNCE_SENDER_RE = /^(mailer-daemon|post_?master|mail-daemon|maildaemon|mailerdaemon|mail\.?delivery\.?(system|subsystem)|bounces?|mdaemon|nobody-bounce|double-bounce)(\+[^@]*)?@/i;
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

/** Phrases saying that delivery failed for good (used with a basic 5xx reply code). */
const FAILURE_PHRASE_RE =
  /(permanent(?:ly)?|could not be delivered|couldn't be delivered|was not delivered|wasn't delivered|undeliverable|not be delivered|delivery (?:has )?failed|delivery to the following recipients? failed|user unknown|unknown user|no such (?:user|mailbox|address|recipient)|does not exist|doesn't exist|mailbox (?:unavailable|not found|is full|full|disabled)|recipient (?:address )?rejected|address rejected|invalid (?:recipient|address|mailbox)|account (?:has been )?(?:disabled|suspended|deactivated)|rejected|refused|denied|failed|not found|not allowed|quota)/i;

/** Phrases of a delay / still-retrying notice. */
const DELAY_PHRASE_RE =
  /(delayed|delay|will (?:continue to )?(?:retry|be retried|try)|still (?:being )?(?:retried|trying)|has not (?:yet )?been delivered|not yet been delivered|temporar(?:y|ily)|deferred)/i;

/**
 * How much a message looks like a non-RFC bounce: 'strong' when a mail system sent it (MAILER-DAEMON,
 * postmaster, `X-Failed-Recipients`), 'weak' when only the subject says so (a person could write
 * "Not delivered?"), null otherwise.
 */
function bounceShape(mail: ParsedMail, subject: string): 'strong' | 'weak' | null {
  const from = addressesOf(mail, 'from');
  if (from.some((a) => BOUNCE_SENDER_RE.test(a))) return 'strong';
  if (hasHeader(mail, 'x-failed-recipients')) return 'strong';
  const subjectSays = BOUNCE_SUBJECT_RE.test(subject) && stripReplyPrefixes(subject) === subject;
  const fromText = header(mail, 'from');
  if (DAEMON_NAME_RE.test(fromText.trim())) return 'strong';
  if (subjectSays && BOUNCE_NAME_RE.test(fromText)) return 'strong';
  return subjectSays ? 'weak' : null;
}

/** The text of the notice that explains the failure, without the quoted original message. */
function noticeText(text: string): string {
  const cut = text.search(
    /^[ \t]*(?:-+[ \t]*(?:original message|undelivered message|returned message|this is a copy of the message|the header of the original message|headers of the original message|message headers follow)|(?:original message follows|below this line is a copy|this is a copy of the message))/im,
  );
  return cut > 0 ? text.slice(0, cut) : text;
}

interface CodeHit {
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
function findCodeInText(text: string, cls: '5' | '4', strict: boolean): CodeHit | null {
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
const PERMANENT_STATEMENT_RE =
  /(this is a permanent error|permanent (?:fatal )?(?:error|failure|delivery error)s?|failed permanently|permanently (?:failed|rejected|undeliverable)|returned permanent errors)/i;

/** Per-recipient DSN fields at the start of a line, as in a `message/delivery-status` body. */
const DSN_FRAGMENT_RE = [/^(?:Final|Original)-Recipient:[ \t]*[\w-]+[ \t]*;/im, /^Action:[ \t]*(?:failed|delayed)\b/im, /^Status:[ \t]*[245]\.\d{1,3}\.\d{1,3}/im];

/** A message given up after its queue lifetime (a transient failure that never cleared): not a hard bounce. */
const EXPIRED_RE =
  /(retry timeout exceeded|have been failing for a long time|(?:been )?in the queue too long|too long in (?:the )?queue|could not be delivered (?:with)?in \d+|cannot send message for \d+ days?|message expired|queue lifetime|delivery time expired|retry time (?:not reached|exceeded))/i;

function lineMatching(text: string, re: RegExp): string | null {
  for (const line of text.split(/\r\n|\r|\n/)) if (re.test(line)) return line.trim().slice(0, 1000);
  return null;
}

/** Message-ID of the original message in an embedded message / header block. */
function embeddedMessageId(raw: string): string | null {
  const v = rawHeaderField(raw, 'message-id');
  if (v) {
    const ids = messageIds(v);
    if (ids.length) return ids[0];
  }
  // A header section preceded by a few lines of prose, or only part of one.
  const m = /^[ \t]*Message-I[Dd][ \t]*:[ \t]*(<[^<>\s]{1,990}>|[^\s<>@]{1,990}@[^\s<>]{1,990})/im.exec(clip(raw, 64 * 1024));
  if (m) return m[1].startsWith('<') ? m[1] : `<${m[1]}>`;
  return null;
}

function embeddedRecipient(raw: string): string | null {
  const to = rawHeaderField(raw, 'to');
  if (!to) return null;
  const addrs = to.match(new RegExp(EMAIL_RE.source, 'g')) ?? [];
  return addrs.length === 1 ? addrs[0].toLowerCase() : null;
}

interface OriginalInfo {
  messageId: string | null;
  recipient: string | null;
}

/** The original message's id and (single) recipient, from embedded parts, text, then thread headers. */
function originalMessage(mail: ParsedMail, facts: ClassifierFacts, text: string): OriginalInfo {
  const candidates: string[] = [];
  let recipient: string | null = null;
  for (const a of attachmentsOf(mail)) {
    const t = attachmentType(a);
    if (t === 'message/rfc822' || t === 'message/global' || t.startsWith('text/rfc822-header') || t === 'message/global-headers' || t === 'message/partial') {
      const raw = attachmentText(a);
      const id = embeddedMessageId(raw);
      if (id) candidates.push(id);
      recipient ??= embeddedRecipient(raw);
    }
  }
  const fromText = /^[ \t]*Message-I[Dd][ \t]*:[ \t]*(<[^<>\s]{1,990}>)/gim;
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = fromText.exec(text)) !== null && n++ < 20) candidates.push(m[1]);
  candidates.push(...threadIds(mail));
  const unique = [...new Set(candidates)];
  return { messageId: firstOurs(unique, facts) ?? unique[0] ?? null, recipient };
}

function classifyDelivery(mail: ParsedMail, facts: ClassifierFacts, subject: string): Classification | null {
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

// ---------------------------------------------------------------------------------------------
// Complaints (ARF, RFC 5965)
// ---------------------------------------------------------------------------------------------

function classifyComplaint(mail: ParsedMail, facts: ClassifierFacts, subject: string): Classification | null {
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

// ---------------------------------------------------------------------------------------------
// Auto-replies
// ---------------------------------------------------------------------------------------------

/**
 * Out-of-office / auto-reply subject prefixes in several languages. Matched at the start of the
 * subject, after optional brackets (`[`, `【`, `(`), so "Re: out of office next week?" from a person
 * does not count.
 */
const AUTO_SUBJECT_RE = new RegExp(
  '^[\\s\\[【(（«"]*(?:' +
    [
      'out of (?:the )?office',
      'ooo\\b',
      'automatic reply',
      'auto(?:matic)?[- ]?(?:reply|response|responder|answer)',
      'autoreply',
      'autoresponse',
      'auto:',
      'away from (?:the )?office',
      'vacation (?:reply|notice|message|response)',
      'on vacation',
      'abwesenheitsnotiz',
      'abwesenheit\\s*[:：-]',
      'automatische antwort',
      'automatische rückantwort',
      'nicht im büro',
      'réponse automatique',
      'reponse automatique',
      'absence\\s*[:：-]',
      'absence (?:du|de) bureau',
      'absente? du bureau',
      'respuesta automática',
      'respuesta automatica',
      'fuera de (?:la )?oficina',
      'ausente\\s*[:：-]',
      'ausente de la oficina',
      'fuori sede',
      "fuori dall'ufficio",
      'risposta automatica',
      'assente\\s*[:：-]',
      'afwezig',
      'automatisch antwoord',
      'niet aanwezig',
      'autosvar',
      'automatiskt svar',
      'frånvaro',
      'fraværende',
      'fravær',
      'poissa',
      'automaattinen vastaus',
      'poza biurem',
      'automatyczna odpowiedź',
      'automatyczna odpowiedz',
      'nieobecność',
      'nieobecnosc',
      'resposta automática',
      'resposta automatica',
      'fora do escritório',
      'automatická odpověď',
      'mimo kancelář',
      'automatikus válasz',
      'házon kívül',
      'otomatik yanıt',
      'ofis dışında',
      'автоматический ответ',
      'автоответ',
      'отсутствую',
      'вне офиса',
      'αυτόματη απάντηση',
      '不在',
      '自動応答',
      '自動返信',
      '自动回复',
      '自動回覆',
      '부재중',
      '자동 응답',
    ].join('|') +
    ')',
  'iu',
);

const LIST_ROBOT_RE = /^(?:owner-[^@]+|[^@]+-(?:owner|admin|request|ctl|bounces?)|majordomo|listserv|mailman|ezmlm|sympa|listproc)@/i;
const LIST_HEADERS = ['list-id', 'list-unsubscribe', 'list-subscribe', 'list-help', 'list-post', 'list', 'mailing-list', 'x-mlserver', 'x-ml-name', 'x-mailman-version', 'x-loop'];

/** Removes leading reply / forward markers ("Re:", "AW:", "SV:", "Odp:", "RE[2]:") from a subject. */
function stripReplyPrefixes(subject: string): string {
  let s = subject;
  for (let i = 0; i < 5; i++) {
    const next = s.replace(/^\s*(?:re|aw|sv|vs|antw|odp|r|ynt|fw|fwd|wg|tr|rif)[ \t]*(?:(?:\[\d+\]|\(\d+\))[ \t]*)?[:：]\s*/i, '');
    if (next === s) break;
    s = next;
  }
  return s;
}

function autoReplySignal(mail: ParsedMail, subject: string): string | null {
  const autoSubmitted = header(mail, 'auto-submitted').trim().toLowerCase();
  if (autoSubmitted && !/^no\b/.test(autoSubmitted)) return `Auto-Submitted: ${autoSubmitted.slice(0, 64)}`;
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-autoresponse', 'x-mail-autoreply', 'x-autoreply-from']) {
    if (hasHeader(mail, name)) {
      const v = header(mail, name).trim().toLowerCase();
      if (!/^(no|false|0)$/.test(v)) return `${name}${v ? `: ${v.slice(0, 64)}` : ''}`;
    }
  }
  const generated = header(mail, 'x-autogenerated').trim().toLowerCase();
  if (generated === 'reply') return 'x-autogenerated: reply';
  const precedence = header(mail, 'precedence').trim().toLowerCase();
  if (/^(auto_reply|auto-reply|bulk|junk)\b/.test(precedence)) return `Precedence: ${precedence.slice(0, 32)}`;
  const fcGenerated = header(mail, 'x-fc-machinegenerated').trim().toLowerCase();
  if (fcGenerated === 'true') return 'X-FC-MachineGenerated: true';
  // A mailing-list manager answering (fml "you are not a member", ezmlm/mailman notices): sent by the
  // list's robot address with list headers. A person replying through a list writes from their own address.
  const robot = addressesOf(mail, 'from').find((a) => LIST_ROBOT_RE.test(a));
  if (robot && LIST_HEADERS.some((h) => hasHeader(mail, h))) return `mailing-list robot: ${robot.slice(0, 64)}`;
  const s = stripReplyPrefixes(subject);
  const m = AUTO_SUBJECT_RE.exec(s);
  if (m) return `subject: ${m[0].replace(/^[\s[【(（«"]+/u, '').trim().slice(0, 64)}`;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

function classifyUnsafe(mail: ParsedMail, facts: ClassifierFacts): Classification {
  if (!isObject(mail)) return { kind: 'other' };
  const subject = clip(str((mail as { subject?: unknown }).subject) || header(mail, 'subject'), 2048);

  const delivery = classifyDelivery(mail, facts, subject);
  if (delivery) return delivery;

  const complaint = classifyComplaint(mail, facts, subject);
  if (complaint) return complaint;

  const from = addressesOf(mail, 'from');
  const fromAddress = from[0] ?? '';
  const ours = firstOurs(threadIds(mail), facts);

  const signal = autoReplySignal(mail, subject);
  if (signal) return { kind: 'auto_reply', from: fromAddress, inReplyTo: ours, signal };

  if (ours) return { kind: 'reply', from: fromAddress, inReplyTo: ours, matchedBy: 'thread' };
  const enrolled = from.find((a) => safeCall(facts?.isEnrolledAddress, a));
  if (enrolled) return { kind: 'reply', from: enrolled, inReplyTo: null, matchedBy: 'address' };
  return { kind: 'other' };
}

/** Classifies a parsed inbound message. Pure and total: never throws. */
export function classifyInbound(mail: ParsedMail, facts: ClassifierFacts): Classification {
  try {
    return classifyUnsafe(mail, facts);
  } catch {
    return { kind: 'other' };
  }
}
