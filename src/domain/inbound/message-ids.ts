/** Message-IDs in thread headers, and which of them are ours. */
import type { ParsedMail } from 'mailparser';
import type { ClassifierFacts } from './types.js';
import { clip, headersOf, safeCall, str, valueToString } from './safe-read.js';

const MSGID_RE = /<[^<>\s]{1,990}>/g;

/** Message-IDs (with angle brackets) in a header value; a bare `id@host` is wrapped in brackets. */
export function messageIds(v: unknown): string[] {
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

export function threadIds(mail: ParsedMail): string[] {
  const h = headersOf(mail);
  const irt = messageIds(str((mail as { inReplyTo?: unknown }).inReplyTo) || h.get('in-reply-to'));
  const refs = messageIds((mail as { references?: unknown }).references ?? h.get('references'));
  // In-Reply-To first, then References newest first (the last one is the parent).
  return [...new Set([...irt, ...refs.reverse()])];
}

export function firstOurs(ids: string[], facts: ClassifierFacts): string | null {
  for (const id of ids.slice(0, 200)) if (safeCall(facts?.isOurMessageId, id)) return id;
  return null;
}
