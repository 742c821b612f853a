/** The readable text of a message and its attachments (DSN parts, returned messages, ARF reports). */
import type { Attachment, ParsedMail } from 'mailparser';
import { clip, isObject, MAX_SCAN, str } from './safe-read.js';

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
export function textOf(mail: ParsedMail): string {
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

export function attachmentsOf(mail: ParsedMail): Attachment[] {
  const a = isObject(mail) ? (mail as { attachments?: unknown }).attachments : undefined;
  return Array.isArray(a) ? (a.filter(isObject) as unknown as Attachment[]) : [];
}

export function attachmentType(a: Attachment): string {
  return str(a.contentType).toLowerCase().trim();
}

export function attachmentText(a: Attachment): string {
  try {
    const c: unknown = a.content;
    if (Buffer.isBuffer(c)) return c.subarray(0, MAX_SCAN).toString('utf8');
    if (typeof c === 'string') return clip(c);
  } catch {
    /* fall through */
  }
  return '';
}
