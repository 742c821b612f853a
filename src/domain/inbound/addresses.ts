/** Mailbox addresses in headers and free text, lower-cased. */
import type { EmailAddress, ParsedMail } from 'mailparser';
import { headersOf, isObject } from './safe-read.js';

/** An address in free text; the local part and labels are bounded so a long run without `@` stays linear. */
export const EMAIL_RE = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?){0,20}/;

export function normalizeAddress(s: string): string | null {
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
