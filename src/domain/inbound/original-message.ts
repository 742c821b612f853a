/** The message a bounce or complaint is about: its Message-ID and recipient, from whatever part carries them. */
import type { ParsedMail } from 'mailparser';
import { EMAIL_RE } from './addresses.js';
import { rawHeaderField } from './header-blocks.js';
import { attachmentsOf, attachmentText, attachmentType } from './mail-parts.js';
import { firstOurs, messageIds, threadIds } from './message-ids.js';
import { clip } from './safe-read.js';
import type { ClassifierFacts } from './types.js';

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
export function originalMessage(mail: ParsedMail, facts: ClassifierFacts, text: string): OriginalInfo {
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
